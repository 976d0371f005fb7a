using System.Net;
using OrleansCqrs.Framework.AspNetCore.Security;

namespace OrleansCqrs.Api.Tests.Telemetry;

/// <summary>The Prometheus scrape and the Orleans dashboard: operators only.</summary>
public sealed class TelemetryEndpointTests(TelemetryFixture fixture) : IClassFixture<TelemetryFixture>
{
    public static TheoryData<string> OperatorOnly => ["/metrics", "/dashboard/"];

    [Fact]
    public async Task An_operator_scrapes_the_framework_and_orleans_metrics_in_prometheus_format()
    {
        using var staff = fixture.Host.OperatorClient();
        var customer = $"cust-{Guid.NewGuid():N}";
        using var client = fixture.Host.CustomerClient(customer);
        await client.DepositAsync(await client.OpenAccountAsync(customer), 1m);

        var response = await staff.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Contains("orleanscqrs_commands_total{", text, StringComparison.Ordinal);
        Assert.Contains("orleanscqrs_eventstore_commit_duration_milliseconds_bucket{", text, StringComparison.Ordinal);
        Assert.Contains("orleans_", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(OperatorOnly))]
    public async Task A_stranger_gets_401(string path)
    {
        using var stranger = fixture.Host.CreateClient();

        var response = await stranger.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(OperatorOnly))]
    public async Task A_customer_gets_403(string path)
    {
        using var customer = fixture.Host.CustomerClient($"cust-{Guid.NewGuid():N}");

        var problem = await (await customer.GetAsync(path)).ProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal(AuthProblems.Forbidden, problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_operator_opens_the_dashboard()
    {
        using var staff = fixture.Host.OperatorClient();

        var response = await staff.GetAsync("/dashboard/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("html", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }
}
