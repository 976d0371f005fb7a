using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Api.Tests.Live;

/// <summary>How the feed keeps up: folding instead of reading, catching up page after page, a listener cap, no replay.</summary>
public sealed class LiveFeedMechanismTests(LiveFeedFixture fixture) : IClassFixture<LiveFeedFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private HttpClient Client => fixture.Client;

    // Each test starts with no listener left over from the one before (a closed connection is noticed a moment later).
    public async ValueTask InitializeAsync() =>
        await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Feed.ListenerCount), count => count == 0, Timeout, "the listeners of the previous test to be gone");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Task<SseListener> ListenAsync(string query, CancellationToken deadline) => SseListener.OpenAsync(Client, query, deadline);

    [Fact]
    public async Task An_account_listener_gets_each_change_folded_from_its_event_with_at_most_one_read_of_the_summary()
    {
        using var deadline = new CancellationTokenSource(Timeout);
        var account = await Client.OpenAccountAsync($"cust-{Guid.NewGuid():N}");
        using var listener = await ListenAsync($"?accountId={account}", deadline.Token);

        for (var i = 1; i <= 8; i++)
        {
            // One change per page: a feed that read the summary for each change would read it eight times.
            var version = await Client.DepositAsync(account, i);
            var change = await listener.AccountAtAsync(account, version, deadline.Token);
            Assert.Equal(version, change.GetProperty("version").GetInt64());
            Assert.Equal(i * (i + 1) / 2m, change.GetProperty("balance").GetDecimal());
        }

        Assert.InRange(fixture.Probe.SummaryReadsOf(account), 0, 1);
    }

    [Fact]
    public async Task A_customer_listener_reads_no_summary_of_accounts_it_cannot_match()
    {
        using var deadline = new CancellationTokenSource(Timeout);
        var customer = $"cust-{Guid.NewGuid():N}";
        var account = await Client.OpenAccountAsync(customer);
        var stranger = await Client.OpenAccountAsync($"cust-{Guid.NewGuid():N}");
        using var listener = await ListenAsync($"?customerId={customer}", deadline.Token);

        for (var i = 1; i <= 5; i++)
        {
            await Client.DepositAsync(stranger, i);
            var version = await Client.DepositAsync(account, i);
            Assert.Equal(version, (await listener.AccountAtAsync(account, version, deadline.Token)).GetProperty("version").GetInt64());
        }

        var opened = await Client.OpenAccountAsync(customer);
        var openedVersion = await Client.DepositAsync(opened, 1);
        Assert.Equal(1m, (await listener.AccountAtAsync(opened, openedVersion, deadline.Token)).GetProperty("balance").GetDecimal());

        Assert.InRange(fixture.Probe.SummaryReadsOf(account), 0, 1);
        Assert.Equal(0, fixture.Probe.SummaryReadsOf(stranger));
        Assert.Equal(0, fixture.Probe.SummaryReadsOf(opened));
    }

    [Fact]
    public async Task Past_the_listener_cap_a_listener_gets_503_with_Retry_After_and_a_code_until_a_place_frees_up()
    {
        using var deadline = new CancellationTokenSource(Timeout);
        var account = await Client.OpenAccountAsync($"cust-{Guid.NewGuid():N}");
        var listeners = new List<SseListener>();
        for (var i = 0; i < LiveFeedFixture.MaxListeners; i++)
        {
            listeners.Add(await ListenAsync($"?accountId={account}", deadline.Token));
        }

        using var refused = await Client.GetAsync($"/api/live?accountId={account}", HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        // Checked before the body is read: an admitted listener's body never ends.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        var problem = await refused.ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("live-listeners-full", problem.GetProperty("code").GetString());
        Assert.Equal(TimeSpan.FromSeconds(5), refused.Headers.RetryAfter?.Delta);

        listeners[0].Dispose();
        await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Feed.ListenerCount), count => count < LiveFeedFixture.MaxListeners, Timeout, "the closed listener to leave");
        using var admitted = await ListenAsync($"?accountId={account}", deadline.Token);
        listeners[1].Dispose();
    }

    [Fact]
    public async Task A_feed_many_pages_behind_reads_them_back_to_back_and_catches_up()
    {
        using var deadline = new CancellationTokenSource(Timeout);
        var account = await Client.OpenAccountAsync($"cust-{Guid.NewGuid():N}");
        using var listener = await ListenAsync($"?accountId={account}", deadline.Token);
        // Cached from here on: the burst below is folded event by event, not skipped by one read of the summary.
        var version = await Client.DepositAsync(account, 1);
        await listener.AccountAtAsync(account, version, deadline.Token);

        // 100 pages of log at once. At one page per look (half a second), catching up would take 50 s.
        const int Burst = 100 * LiveFeedFixture.PageSize;
        var serializer = fixture.Host.Services.GetRequiredService<EventSerializer>();
        var stream = StreamNames.StoreStreamId(AccountGrain.StreamName, account);
        for (var appended = 0; appended < Burst; appended += 500)
        {
            var events = Enumerable.Range(0, 500)
                .Select(_ => serializer.Serialize(new MoneyDeposited(1m), new EventMetadata(Guid.NewGuid(), DateTimeOffset.UtcNow)))
                .ToList();
            await fixture.Host.EventStore.AppendAsync(new AppendRequest(stream, version + appended, events, Guid.NewGuid()));
        }

        var caughtUp = await listener.AccountAtAsync(account, version + Burst, deadline.Token);

        Assert.Equal(1m + Burst, caughtUp.GetProperty("balance").GetDecimal());
        Assert.InRange(fixture.Probe.SummaryReadsOf(account), 0, 1);
    }

    [Fact]
    public async Task A_page_read_in_flight_when_a_new_first_listener_starts_at_the_head_does_not_replay_older_changes()
    {
        using var deadline = new CancellationTokenSource(Timeout);
        var customer = $"cust-{Guid.NewGuid():N}";
        var first = await ListenAsync($"?customerId={customer}", deadline.Token);

        // A page read comes back (from before the opening below) and is held in flight.
        var hold = fixture.Probe.HoldNextPage();
        await hold.Reached.Task.WaitAsync(deadline.Token);
        var before = await Client.OpenAccountAsync(customer);
        first.Dispose();
        await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Feed.ListenerCount), count => count == 0, Timeout, "the first listener to leave");

        // The next listener is the first again: it starts at the head, after that opening. An opening folds without a
        // read, so a replay of it would show.
        using var second = await ListenAsync($"?customerId={customer}", deadline.Token);
        hold.Released.TrySetResult();
        var after = await Client.OpenAccountAsync(customer);

        var change = await second.NextAccountEventAsync(deadline.Token);
        Assert.True(
            change.GetProperty("accountId").GetString() == after,
            $"The first change after listening should be the opening of {after}, not {change.GetProperty("accountId").GetString()} (account {before} was opened before listening).");
    }
}
