using System.Net;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Api.Tests.Limits;

/// <summary>Places for reads that wait for a version and for live connections, per principal and in all.</summary>
public sealed class ConcurrencyLimitApiTests(LimitsFixture fixture) : IClassFixture<LimitsFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    // A closed live connection is noticed a moment later: each test starts with none left over.
    public async ValueTask InitializeAsync() =>
        await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Feed.ListenerCount), count => count == 0, Timeout, "the listeners of the previous test to be gone");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Waiting_reads_past_the_caps_are_refused_429_per_principal_and_503_in_all_and_admitted_again_once_they_end()
    {
        var (frank, frankId) = fixture.NewCustomer("frank");
        var (gina, ginaId) = fixture.NewCustomer("gina");
        using var frankClient = frank;
        using var ginaClient = gina;
        using var hank = fixture.NewCustomer("hank").Client;
        var franks = await frank.OpenAccountAsync(frankId);
        var ginas = await gina.OpenAccountAsync(ginaId);
        // Admitted, it answers at once (404: no such account); refused, it says why.
        var probe = $"/api/accounts/none-{Guid.NewGuid():N}?minVersion=1000&waitMs=1";
        using var frankHeld = fixture.HeldReads.Hold(franks);
        using var ginaHeld = fixture.HeldReads.Hold(ginas);

        // Each step waits until the reads before it hold their places: a probe admitted meanwhile would take one.
        var frankWaits = Enumerable.Range(0, LimitsFixture.WaitingReadsPerCaller).Select(_ => frank.GetAsync($"/api/accounts/{franks}?minVersion=1000&waitMs=1")).ToList();
        await HeldAsync(LimitsFixture.WaitingReadsPerCaller);
        var perCaller = await RefusedAsync(frank, probe, HttpStatusCode.TooManyRequests);
        var ginaWait = gina.GetAsync($"/api/accounts/{ginas}?minVersion=1000&waitMs=1");
        await HeldAsync(LimitsFixture.WaitingReadsTotal);
        var total = await RefusedAsync(hank, probe, HttpStatusCode.ServiceUnavailable);

        Assert.Equal("waiting-reads-per-caller", perCaller.Code);
        Assert.Equal("waiting-reads-full", total.Code);
        Assert.Equal(TimeSpan.FromSeconds(1), perCaller.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(1), total.RetryAfter);
        // A read that does not wait needs no place.
        using (var plain = await frank.GetAsync($"/api/accounts/none-{Guid.NewGuid():N}"))
        {
            await plain.ProblemAsync(HttpStatusCode.NotFound);
        }

        frankHeld.Dispose();
        ginaHeld.Dispose();
        foreach (var ended in await Task.WhenAll(frankWaits.Append(ginaWait)))
        {
            using (ended)
            {
                await ended.OkAsync();
            }
        }

        // Their places are free again: the next waiting read is admitted.
        using var admitted = await frank.GetAsync(probe);
        await admitted.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Live_connections_past_the_caps_are_refused_429_per_principal_and_503_in_all_until_one_closes()
    {
        using var deadline = new CancellationTokenSource(Timeout);
        using var ivan = fixture.NewCustomer("ivan").Client;
        using var june = fixture.NewCustomer("june").Client;
        using var kurt = fixture.NewCustomer("kurt").Client;
        // Without a filter a customer listens to its own accounts.
        var query = "";

        var first = await SseListenerAsync(ivan, query, deadline.Token);
        using (var refused = await ivan.GetAsync($"/api/live{query}", HttpCompletionOption.ResponseHeadersRead, deadline.Token))
        {
            // Checked before the body is read: an admitted listener's body never ends.
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            var problem = await refused.ProblemAsync(HttpStatusCode.TooManyRequests);
            Assert.Equal("live-listeners-per-caller", problem.GetProperty("code").GetString());
            Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        }

        using var second = await SseListenerAsync(june, query, deadline.Token);
        using (var refused = await kurt.GetAsync($"/api/live{query}", HttpCompletionOption.ResponseHeadersRead, deadline.Token))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            var problem = await refused.ProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal("live-listeners-full", problem.GetProperty("code").GetString());
        }

        first.Dispose();
        await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Feed.ListenerCount), count => count < 2, Timeout, "ivan's closed listener to leave");
        using var again = await SseListenerAsync(ivan, query, deadline.Token);
    }

    private static Task<Live.SseListener> SseListenerAsync(HttpClient client, string query, CancellationToken deadline) =>
        Live.SseListener.OpenAsync(client, query, deadline);

    private async Task HeldAsync(int reads) =>
        await Eventually.ReturnsAsync(() => Task.FromResult(fixture.HeldReads.Waiting), held => held >= reads, Timeout, $"{reads} waiting reads to be in flight");

    private static async Task<(string? Code, TimeSpan? RetryAfter)> RefusedAsync(HttpClient client, string path, HttpStatusCode status)
    {
        using var refused = await client.GetAsync(path);
        var problem = await refused.ProblemAsync(status);
        return (problem.GetProperty("code").GetString(), refused.Headers.RetryAfter?.Delta);
    }
}
