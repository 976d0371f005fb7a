using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using OrleansCqrs.Framework.Roles;

namespace OrleansCqrs.Hosting;

/// <summary>
/// Embedded mode: one silo in the front end's process, its grain client the silo's own. It has no peers and no
/// external clients, so it opens no Orleans port at all: the gateway is off (port 0), and the silo-to-silo listener is
/// bound through a transport that holds no socket. Anyone else on the machine has nothing to connect to.
/// </summary>
public static class EmbeddedSetup
{
    public static ISiloBuilder UseOrleansCqrsEmbedded(this ISiloBuilder silo, OrleansCqrsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(settings);
        // One silo must host both sides, or half of the API could never be served.
        if (settings.RequireRole() != SiloRole.All)
        {
            throw new InvalidOperationException(
                $"{OrleansCqrsSettings.SectionName}:Role is '{settings.Role}', but the embedded mode runs one silo, which hosts everything: leave it 'all' (roles are for a cluster's silos).");
        }

        // The silo port still names this silo (its address in the in-memory membership); nothing binds it.
        silo.UseLocalhostClustering(settings.SiloPort, gatewayPort: 0);
        // Orleans registers one listener factory per listener, keyed; replacing every keyed one reaches the silo
        // listener without naming Orleans' internal key. A single silo never dials itself, so none is missed.
        var listeners = silo.Services
            .Where(d => d.ServiceType == typeof(IConnectionListenerFactory) && d.IsKeyedService)
            .ToList();
        foreach (var listener in listeners)
        {
            silo.Services.Remove(listener);
            silo.Services.AddKeyedSingleton<IConnectionListenerFactory>(listener.ServiceKey, new NoSocketListenerFactory());
        }

        return silo;
    }
}
