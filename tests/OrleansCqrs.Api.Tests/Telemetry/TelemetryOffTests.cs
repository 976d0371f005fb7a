using System.Net;
using OrleansCqrs.Api.Tests.Accounts;

namespace OrleansCqrs.Api.Tests.Telemetry;

/// <summary>A front end with <c>OrleansCqrs:Telemetry:Enabled=false</c>.</summary>
public sealed class TelemetryOffFixture() : ApiHostFixture(new ApiHost(("OrleansCqrs:Telemetry:Enabled", "false")));

/// <summary>Telemetry switched off serves neither the scrape nor the dashboard, and commands run as before.</summary>
public sealed class TelemetryOffTests(TelemetryOffFixture fixture) : IClassFixture<TelemetryOffFixture>
{
    [Theory]
    [InlineData("/metrics")]
    [InlineData("/dashboard/")]
    public async Task Neither_endpoint_is_served(string path)
    {
        var customer = $"cust-{Guid.NewGuid():N}";
        using var client = fixture.Host.CustomerClient(customer);
        await client.DepositAsync(await client.OpenAccountAsync(customer), 1m);

        var response = await fixture.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
