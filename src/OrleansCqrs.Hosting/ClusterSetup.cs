using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Serialization;

namespace OrleansCqrs.Hosting;

/// <summary>
/// Cluster mode: silos and front ends find each other through the membership table in PostgreSQL (Orleans' ADO.NET
/// clustering on our own schema), silos keep reminders there too. Failure detection is tuned so that a crashed silo
/// is declared dead, and its grains live again elsewhere, within seconds (docs/cluster.md has the arithmetic).
/// </summary>
public static class ClusterSetup
{
    private const string Invariant = "Npgsql";

    /// <summary>A silo of a cluster: ADO.NET clustering and reminders, endpoints and failure detection.</summary>
    public static ISiloBuilder UseOrleansCqrsCluster(this ISiloBuilder silo, OrleansCqrsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(settings);
        var connectionString = RequirePostgresStore(settings);
        silo.Configure<ClusterOptions>(options => Identify(options, settings));
        silo.Configure<SiloOptions>(options => options.SiloName = $"silo-{settings.AdvertisedHost}-{settings.SiloPort}");
        var advertised = ResolveAdvertised(settings.AdvertisedHost);
        silo.Configure<EndpointOptions>(options =>
        {
            options.AdvertisedIPAddress = advertised;
            options.SiloPort = settings.SiloPort;
            options.GatewayPort = settings.GatewayPort;
            // A silo advertised on loopback serves this machine only: nothing else is let reach its ports. Any other
            // advertised address listens on every interface, since it need not be one of this host's own (an address
            // behind NAT); in a container that means the container's own network namespace.
            var listening = IPAddress.IsLoopback(advertised) ? advertised : IPAddress.Any;
            options.SiloListeningEndpoint = new IPEndPoint(listening, settings.SiloPort);
            options.GatewayListeningEndpoint = new IPEndPoint(listening, settings.GatewayPort);
        });
        if (settings.Tls.Enabled)
        {
            silo.UseClusterTls(settings.Tls);
        }

        silo.Configure<ClusterMembershipOptions>(FailureDetection.Configure);
        silo.UseAdoNetClustering(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
        silo.UseAdoNetReminderService(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
        return silo;
    }

    /// <summary>A front end of a cluster: a grain client that finds gateways in the membership table.</summary>
    public static IClientBuilder UseOrleansCqrsCluster(this IClientBuilder client, OrleansCqrsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(settings);
        var connectionString = RequirePostgresStore(settings);
        client.Configure<ClusterOptions>(options => Identify(options, settings));
        client.Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = FailureDetection.GatewayListRefreshPeriod);
        // A call in flight through a gateway silo that dies never gets its reply; the client only notices at the
        // response timeout (Orleans' default: 30 s). The longest call a front end makes is a read that waits up to
        // 10 s for a version.
        client.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = FailureDetection.ClientResponseTimeout);
        client.Services.Configure<ExceptionSerializationOptions>(CarryDatabaseErrors);
        client.Services.CacheGrainInterfaceTypes();
        client.UseAdoNetClustering(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
        if (settings.Tls.Enabled)
        {
            client.UseClusterTls(settings.Tls);
        }

        // The front end may start before any silo: keep trying rather than failing its start-up.
        client.UseConnectionRetryFilter(async (_, cancellationToken) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            return true;
        });
        return client;
    }

    /// <summary>
    /// A store error travels to the caller with its cause: an unavailable store's exception wraps Npgsql's, which
    /// Orleans only serializes for the namespaces it is told (without this the caller got a CodecNotFoundException
    /// instead of the typed error, and a front end answered 500 instead of 503).
    /// </summary>
    internal static void CarryDatabaseErrors(ExceptionSerializationOptions options) => options.SupportedNamespacePrefixes.Add("Npgsql");

    private static void Identify(ClusterOptions options, OrleansCqrsSettings settings)
    {
        options.ClusterId = settings.ClusterId;
        options.ServiceId = settings.ServiceId;
    }

    private static string RequirePostgresStore(OrleansCqrsSettings settings) =>
        settings.Store == StoreKind.Postgres
            ? settings.RequirePostgres()
            : throw new InvalidOperationException(
                $"A cluster keeps membership and events in PostgreSQL: set {OrleansCqrsSettings.SectionName}:Store to Postgres (it is {settings.Store}).");

    private static IPAddress ResolveAdvertised(string host)
    {
        if (IPAddress.TryParse(host, out var address))
        {
            return address;
        }

        return Dns.GetHostAddresses(host).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? throw new InvalidOperationException($"{OrleansCqrsSettings.SectionName}:AdvertisedHost '{host}' has no IPv4 address.");
    }
}
