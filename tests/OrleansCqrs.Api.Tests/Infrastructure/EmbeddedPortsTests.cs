using System.Net.NetworkInformation;
using Microsoft.Extensions.DependencyInjection;
using OrleansCqrs.Hosting;

namespace OrleansCqrs.Api.Tests.Infrastructure;

/// <summary>
/// The embedded mode's silo has no peers and its grain client is in-process: it serves grains while opening no Orleans
/// port, so nobody else on the machine can call its grains past the HTTP API.
/// </summary>
public sealed class EmbeddedPortsTests
{
    [Fact]
    public async Task The_embedded_silo_serves_grains_and_nothing_listens_on_its_Orleans_ports()
    {
        await using var host = new ApiHost();
        host.StartServer();
        var settings = host.Services.GetRequiredService<OrleansCqrsSettings>();

        var silos = await host.Grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);

        Assert.Single(silos);
        var listening = IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners().Select(endpoint => endpoint.Port).ToHashSet();
        Assert.False(listening.Contains(settings.SiloPort), $"Something listens on the silo port {settings.SiloPort}.");
        Assert.False(listening.Contains(settings.GatewayPort), $"Something listens on the gateway port {settings.GatewayPort}.");
    }
}
