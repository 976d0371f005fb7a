using OrleansCqrs.Framework.Projections;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Accounts.Summary;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Hosting;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Bank.Tests.Accounts;

/// <summary>
/// The account summary read model against a stream that repeats, reorders and loses events: afterwards it must equal
/// the summary recomputed from the event log.
/// </summary>
public sealed class AccountSummaryProjectionTests(ClusterFixture cluster)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static string NewId() => $"acc-{Guid.NewGuid():N}";

    private IReadModelQueries Queries => cluster.Grains.GetGrain<IReadModelQueries>(0);

    /// <summary>The summary as the event log implies it.</summary>
    private static async Task<AccountSummary?> RecomputeAsync(string accountId)
    {
        var events = await ClusterFixture.Database.ReadStreamAsync(ClusterFixture.StreamOf(accountId), 1, 10_000);
        return events
            .Select(ClusterFixture.Serializer.Deserialize)
            .Aggregate((AccountSummary?)null, (summary, e) => AccountSummary.When(summary, accountId, e.Version, e.Event, e.Metadata.Timestamp));
    }

    private static async Task<List<EventEnvelope>> AppendBehindTheStreamAsync(string accountId, long expectedVersion, params IDomainEvent[] events)
    {
        var metadata = new EventMetadata(Guid.NewGuid(), DateTimeOffset.UtcNow);
        var result = await ClusterFixture.Database.AppendAsync(new AppendRequest(
            ClusterFixture.StreamOf(accountId), expectedVersion, events.Select(e => ClusterFixture.Serializer.Serialize(e, metadata)).ToList(), metadata.CommandId));
        return events.Select((e, i) => new EventEnvelope(
            ClusterFixture.StreamOf(accountId), expectedVersion + 1 + i, result.Position - events.Length + 1 + i, e, metadata)).ToList();
    }

    private async Task PublishAsync(string accountId, params EventEnvelope[] envelopes)
    {
        var stream = cluster.Cluster.Client.GetStreamProvider(StreamProviders.Events)
            .GetStream<EventEnvelope>(StreamId.Create(AccountGrain.StreamName, accountId));
        foreach (var envelope in envelopes)
        {
            await stream.OnNextAsync(envelope);
        }
    }

    private async Task<IAccountGrain> OpenAsync(string id)
    {
        var account = cluster.Grains.GetGrain<IAccountGrain>(id);
        Assert.True((await account.Execute(new OpenAccount("cust-7", "EUR"), CommandContext.New())).IsAccepted);
        return account;
    }

    [Fact]
    public async Task A_read_with_min_version_right_after_a_command_returns_the_new_state()
    {
        var id = NewId();
        var account = await OpenAsync(id);
        await account.Execute(new DepositMoney(40m), CommandContext.New());
        var withdrawn = await account.Execute(new WithdrawMoney(15.5m), CommandContext.New());

        var read = await Queries.Get<IAccountSummaryProjection, AccountSummary>(id, withdrawn.Version, Wait);

        Assert.False(read.Stale);
        Assert.Equal((3L, 24.5m, AccountStatus.Open), (read.View!.Version, read.View.Balance, read.View.Status));
        Assert.Equal(await RecomputeAsync(id), read.View);
    }

    [Fact]
    public async Task Duplicated_reordered_and_missing_stream_messages_still_give_the_state_of_the_log()
    {
        var id = NewId();
        await OpenAsync(id);
        await Queries.Get<IAccountSummaryProjection, AccountSummary>(id, 1, Wait); // The projection is live, fed by the stream from here on.

        var envelopes = await AppendBehindTheStreamAsync(id, 1, new MoneyDeposited(10m), new MoneyDeposited(20m), new MoneyWithdrawn(5m), new MoneyDeposited(1m));
        // Version 4 before 2 and 3, version 2 twice, version 5 never.
        await PublishAsync(id, envelopes[2], envelopes[0], envelopes[0], envelopes[1]);

        var status = await Eventually.ReturnsAsync(
            () => cluster.Grains.GetGrain<IAccountSummaryProjection>(id).GetStatus(), s => s.Version >= 5, Wait, "the projection to reach version 5");
        var read = await Queries.Get<IAccountSummaryProjection, AccountSummary>(id, 5, Wait);

        Assert.False(status.IsStuck);
        Assert.Equal(5, read.Version);
        Assert.Equal(26m, read.View!.Balance);
        Assert.Equal(await RecomputeAsync(id), read.View);
    }

    [Fact]
    public async Task A_lost_tail_is_read_from_the_store_when_a_caller_asks_for_its_version()
    {
        var id = NewId();
        await OpenAsync(id);
        await Queries.Get<IAccountSummaryProjection, AccountSummary>(id, 1, Wait);

        // Committed, never published: as if the silo died between commit and publish.
        await AppendBehindTheStreamAsync(id, 1, new MoneyDeposited(99m));
        var read = await Queries.Get<IAccountSummaryProjection, AccountSummary>(id, 2, Wait);

        Assert.False(read.Stale);
        Assert.Equal(99m, read.View!.Balance);
    }

    [Fact]
    public async Task A_version_that_never_comes_is_answered_stale_after_the_wait()
    {
        var id = NewId();
        await OpenAsync(id);

        var read = await Queries.Get<IAccountSummaryProjection, AccountSummary>(id, 7, TimeSpan.FromMilliseconds(200));

        Assert.True(read.Stale);
        Assert.Equal(1, read.Version);
        Assert.NotNull(read.View);
    }

    [Fact]
    public async Task An_unknown_account_has_no_summary()
    {
        var read = await Queries.Get<IAccountSummaryProjection, AccountSummary>(NewId(), 0, Wait);

        Assert.Null(read.View);
        Assert.Equal(0, read.Version);
    }

    [Fact]
    public async Task An_event_the_read_model_cannot_apply_makes_it_stuck_there_not_skip_it()
    {
        var id = NewId();
        // An account opened twice: the summary fold refuses the second opening.
        await AppendBehindTheStreamAsync(id, 0, new AccountOpened("cust-1", "EUR"), new AccountOpened("cust-1", "EUR"), new MoneyDeposited(5m));

        var status = await cluster.Grains.GetGrain<IAccountSummaryProjection>(id).GetStatus();
        var read = await Queries.Get<IAccountSummaryProjection, AccountSummary>(id, 3, TimeSpan.FromMilliseconds(100));

        Assert.True(status.IsStuck);
        Assert.Equal(1, status.Version);
        Assert.Contains("Version 2", status.StuckError, StringComparison.Ordinal);
        Assert.True(read.Stale);
        Assert.Equal((1L, 0m), (read.Version, read.View!.Balance));
    }
}
