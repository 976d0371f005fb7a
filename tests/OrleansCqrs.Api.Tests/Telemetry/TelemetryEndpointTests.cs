using System.Net;
using OrleansCqrs.Api.Infrastructure;
using OrleansCqrs.Framework.AspNetCore.Security;
using OrleansCqrs.Testing;

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

    /// <summary>A client that sends only the cookie given (no bearer header, no cookie jar): what a browser's navigation sends.</summary>
    private HttpClient CookieOnly(string cookie)
    {
        using var probe = fixture.Host.CreateClient();
#pragma warning disable CA2000 // The client owns and disposes its handler.
        var client = new HttpClient(new SocketsHttpHandler { UseCookies = false }, disposeHandler: true) { BaseAddress = probe.BaseAddress };
#pragma warning restore CA2000
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client;
    }

    private static async Task<string> DashboardCookieAsync(HttpClient caller)
    {
        var response = await caller.PostAsync(TelemetryEndpoints.DashboardSession, null);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith($"{TelemetryEndpoints.DashboardCookie}=", setCookie, StringComparison.Ordinal);
        Assert.Contains("path=/dashboard", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        return setCookie.Split(';')[0];
    }

    [Fact]
    public async Task A_browser_opens_the_dashboard_with_the_cookie_an_operator_asked_for_and_nothing_else_with_it()
    {
        using var staff = fixture.Host.OperatorClient();
        using var browser = CookieOnly(await DashboardCookieAsync(staff));

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/dashboard/")).StatusCode);
        // The cookie is read under the dashboard's path only: the API still wants a bearer header.
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/admin/status")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task A_dashboard_cookie_carrying_a_customers_or_a_forged_token_is_refused()
    {
        using var customer = CookieOnly($"{TelemetryEndpoints.DashboardCookie}={TestTokens.Shared.Customer($"cust-{Guid.NewGuid():N}")}");
        using var forged = CookieOnly($"{TelemetryEndpoints.DashboardCookie}=not-a-token");

        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync("/dashboard/")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/dashboard/")).StatusCode);
    }
}
