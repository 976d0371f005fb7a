using System.Diagnostics;
using System.Net;
using System.Text.Json;
using OrleansCqrs.Api.Tests.Live;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Api.Tests.Limits;

/// <summary>A request that runs past its timeout is answered 503 request-timeout; waiting reads get longer; live updates none.</summary>
public sealed class RequestTimeoutApiTests(TimeoutFixture fixture) : IClassFixture<TimeoutFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task A_command_the_cluster_answers_too_slowly_is_answered_503_request_timeout_with_Retry_After()
    {
        var clock = Stopwatch.StartNew();
        using var response = await Client.PostAsync($"/api/accounts/{SlowGrains.KeyPrefix}{Guid.NewGuid():N}/deposit", """{"amount":1}""", idempotencyKey: "timeout-1");
        var elapsed = clock.Elapsed;

        var problem = await response.ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("request-timeout", problem.GetProperty("code").GetString());
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
        Assert.True(elapsed < SlowGrains.Delay, $"The answer came after {elapsed.TotalSeconds:0.0} s: it waited for the grain instead of timing out.");
    }

    [Fact]
    public async Task A_read_waiting_past_the_waiting_read_timeout_is_answered_503_but_one_waiting_less_is_served()
    {
        var account = await OpenAccountAsync("cust-timeout");

        // Longer than a plain request may take, and 3 s shorter than a waiting read may: the stale answer after the wait
        // has that long to arrive on a loaded machine (CI saw it take over 1 s).
        var between = TimeoutFixture.RequestTimeout + TimeSpan.FromSeconds(1);
        using var served = await Client.GetAsync($"/api/accounts/{account}?minVersion=1000&waitMs={(int)between.TotalMilliseconds}");
        using var timedOut = await Client.GetAsync($"/api/accounts/{account}?minVersion=1000&waitMs=10000");

        await served.OkAsync();
        Assert.Equal(["true"], served.Headers.GetValues("X-Read-Stale"));
        var problem = await timedOut.ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("request-timeout", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_live_connection_outlives_the_request_timeout()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var account = await OpenAccountAsync("cust-timeout-live");
        using var listener = await SseListener.OpenAsync(Client, $"?accountId={account}", deadline.Token);

        // The one wait here that is the point: past the request timeout, the connection must still deliver.
        await Task.Delay(TimeoutFixture.RequestTimeout * 2, deadline.Token);
        var deposited = await CommandAsync($"/api/accounts/{account}/deposit", """{"amount":7}""", HttpStatusCode.OK);
        var version = deposited.GetProperty("version").GetInt64();

        var change = await listener.AccountAtAsync(account, version, deadline.Token);
        Assert.Equal(7m, change.GetProperty("balance").GetDecimal());
    }

    private async Task<string> OpenAccountAsync(string customerId)
    {
        var created = await CommandAsync("/api/accounts", $$"""{"customerId":"{{customerId}}","currency":"EUR"}""", HttpStatusCode.Created);
        return created.GetProperty("accountId").GetString()!;
    }

    /// <summary>
    /// Sends a set-up command under this fixture's 1 s request timeout, which a command can outlast on a loaded machine
    /// (CI saw the first one of a cold cluster do it): a 503 is retried with the same key, as it tells a client to.
    /// </summary>
    private async Task<JsonElement> CommandAsync(string path, string body, HttpStatusCode expected)
    {
        var key = $"setup-{Guid.NewGuid():N}";
        var answer = await Eventually.ReturnsAsync(
            async () =>
            {
                using var response = await Client.PostAsync(path, body, idempotencyKey: key);
                return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
            },
            answer => answer.StatusCode != HttpStatusCode.ServiceUnavailable,
            TimeSpan.FromSeconds(20),
            $"POST {path} to be answered within the request timeout");
        Assert.True(answer.StatusCode == expected, $"POST {path} answered {answer.StatusCode}: {answer.Body}");
        return JsonDocument.Parse(answer.Body).RootElement.Clone();
    }
}
