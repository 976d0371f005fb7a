using System.Net;
using OrleansCqrs.Api.Tests.Limits;
using OrleansCqrs.Api.Tests.Live;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Api.Tests.Telemetry;

/// <summary>The front end's own metrics: requests its limits refuse, and its live-feed listeners.</summary>
public sealed class FrontEndMetricsTests(LimitsFixture fixture) : IClassFixture<LimitsFixture>
{
    [Fact]
    public async Task A_request_refused_by_a_limit_is_counted_by_limit_and_code()
    {
        using var refusals = new InstrumentRecorder("orleanscqrs.limits.refusals");
        var (client, customerId) = fixture.NewCustomer("metered");
        using var _ = client;
        var account = await client.OpenAccountAsync(customerId);
        for (var sent = 1; sent < LimitsFixture.Commands; sent++)
        {
            await client.DepositAsync(account, 1);
        }

        await (await client.PostAsync($"/api/accounts/{account}/deposit", """{"amount":1}""")).ProblemAsync(HttpStatusCode.TooManyRequests);

        Assert.Contains(refusals.Measurements, m => m.Value == 1 && Equals(m.Tags["limit"], "Commands") && Equals(m.Tags["code"], "rate-limited"));
    }

    [Fact]
    public async Task An_open_live_connection_is_counted_until_it_closes()
    {
        using var listeners = new InstrumentRecorder("orleanscqrs.live.listeners");
        var (client, customerId) = fixture.NewCustomer("watcher");
        using var _ = client;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));

        var listener = await SseListener.OpenAsync(client, $"?customerId={customerId}", deadline.Token);
        await Eventually.ReturnsAsync(() => Task.FromResult(listeners.Measurements), m => m.Any(x => x.Value == 1), TimeSpan.FromSeconds(10), "the listener to be counted");
        listener.Dispose();

        await Eventually.ReturnsAsync(() => Task.FromResult(listeners.Measurements), m => m.Any(x => x.Value == -1), TimeSpan.FromSeconds(10), "the closed listener to be uncounted");
    }
}
