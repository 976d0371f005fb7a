using OrleansCqrs.Framework.Projections;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Accounts.Summary;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.Projections.Healing;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Bank.Tests.Healing;

/// <summary>
/// Every way an event can be committed and never reach the account summary while all silos stay up. After each, with
/// nobody reading and no silo joining or leaving, the summary must equal the log within the heal deadline, checked
/// without waking the projection (<see cref="SummaryAudit"/>).
/// </summary>
public sealed class LostTailHealingTests(HealingCluster cluster) : IClassFixture<HealingCluster>
{
    private const string SummaryGrainType = "accountsummaryprojection";

    private static string NewId() => $"acc-{Guid.NewGuid():N}";

    /// <summary>Opens the account and waits until its summary is live at version 1, fed by the stream.</summary>
    private async Task<IAccountGrain> OpenAsync(string id)
    {
        var account = cluster.Grains.GetGrain<IAccountGrain>(id);
        Assert.True((await account.Execute(new OpenAccount("cust-h", "EUR"), CommandContext.New())).IsAccepted);
        await SummaryAudit.AwaitMatchLogAsync(cluster.Grains, cluster.Log, [id], SummaryAudit.HealDeadline);
        return account;
    }

    private Task AwaitHealedAsync(params string[] ids) => SummaryAudit.AwaitMatchLogAsync(cluster.Grains, cluster.Log, ids, SummaryAudit.HealDeadline);

    private async Task<IReadOnlyList<ProjectionHeal>> HealsOfAsync(string id)
    {
        var projection = cluster.Grains.GetGrain<IAccountSummaryProjection>(id).GetGrainId();
        return [.. (await cluster.Grains.GetGrain<IProjectionHealer>(0).GetStatus()).RecentHeals.Where(h => h.Projection == projection)];
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_publish_that_is_lost_or_fails_is_healed_with_nobody_reading(bool publishThrows)
    {
        var id = NewId();
        var account = await OpenAsync(id);
        if (publishThrows)
        {
            PublishFaults.FailNext(id);
        }
        else
        {
            PublishFaults.DropNext(id);
        }

        Assert.True((await account.Execute(new DepositMoney(10m), CommandContext.New())).IsAccepted);
        await Eventually.ReturnsAsync(() => Task.FromResult(PublishFaults.HitCount(id)), n => n == 1, TimeSpan.FromSeconds(5), "the deposit's publish to be lost");

        await AwaitHealedAsync(id);
        Assert.Contains(await HealsOfAsync(id), h => h.ExpectedVersion == 2 && h.ReachedVersion == 2);
    }

    [Fact]
    public async Task A_projection_the_stream_missed_shows_in_the_healers_lag_until_it_is_healed()
    {
        var id = NewId();
        var account = await OpenAsync(id);
        var healer = cluster.Grains.GetGrain<IProjectionHealer>(0);
        PublishFaults.DropNext(id);

        Assert.True((await account.Execute(new DepositMoney(10m), CommandContext.New())).IsAccepted);

        // Within the grace period the summary has neither the deposit nor a way to know of it: only the healer's lag
        // says so. A second of waiting is past any confirmation delay (a tail and a push, 250 ms each), short of the grace.
        var behind = await Eventually.ReturnsAsync(
            async () => (await healer.GetStatus()).Lags.Single(l => l.Projection == SummaryGrainType),
            lag => lag.OldestWaiting >= TimeSpan.FromSeconds(1),
            SummaryAudit.HealDeadline,
            "the healer to count the summary's missing deposit in its lag");
        Assert.True(behind is { Pending: >= 1, EventsBehind: >= 1 }, $"{behind}");
        await AwaitHealedAsync(id);
        Assert.Contains(await HealsOfAsync(id), h => h.ExpectedVersion == 2);
    }

    [Fact]
    public async Task A_commit_reported_as_failed_then_replayed_without_publishing_is_healed_with_nobody_reading()
    {
        var id = NewId();
        var account = await OpenAsync(id);
        var deposit = CommandContext.New();

        cluster.Store.CommitThenReportUnavailable(ClusterFixture.StreamOf(id));
        await Assert.ThrowsAsync<EventStoreUnavailableException>(() => account.Execute(new DepositMoney(7m), deposit));
        // The retry finds the command already applied: the grain catches up from the store and answers, but the
        // event it applied that way was never published.
        var replayed = await account.Execute(new DepositMoney(7m), deposit);
        Assert.True(replayed is { IsAccepted: true, Replayed: true, Version: 2 });

        await AwaitHealedAsync(id);
    }

    [Fact]
    public async Task A_committed_event_never_published_is_healed_with_nobody_reading()
    {
        var id = NewId();
        await OpenAsync(id);

        // Committed behind the aggregate's back, never published: as if its silo died between commit and publish.
        var metadata = new EventMetadata(Guid.NewGuid(), DateTimeOffset.UtcNow);
        await cluster.Log.AppendAsync(new AppendRequest(
            ClusterFixture.StreamOf(id), 1, [ClusterFixture.Serializer.Serialize(new MoneyDeposited(12m), metadata), ClusterFixture.Serializer.Serialize(new MoneyWithdrawn(2m), metadata)], metadata.CommandId));

        await AwaitHealedAsync(id);
        Assert.Contains(await HealsOfAsync(id), h => h.ExpectedVersion == 3);
    }

    [Fact]
    public async Task A_projection_that_cannot_fill_a_gap_says_it_is_stale_and_catches_up_on_its_own_once_the_store_answers()
    {
        var id = NewId();
        var account = await OpenAsync(id);
        var stream = ClusterFixture.StreamOf(id);
        var projection = cluster.Grains.GetGrain<IAccountSummaryProjection>(id);

        cluster.Store.FailReads(stream, SummaryGrainType);
        PublishFaults.DropNext(id);
        await account.Execute(new DepositMoney(5m), CommandContext.New()); // Version 2: lost on the way.
        await account.Execute(new DepositMoney(6m), CommandContext.New()); // Version 3: delivered, after a gap it cannot fill.
        await Eventually.ReturnsAsync(() => Task.FromResult(cluster.Store.FailedReads(stream, SummaryGrainType)), n => n >= 1, TimeSpan.FromSeconds(5), "the projection to try to fill the gap");

        // Behind, and knowing it: a read without a minimum version says stale (this is what X-Read-Stale carries).
        var plain = await cluster.Grains.GetGrain<IReadModelQueries>(0).Get<IAccountSummaryProjection, AccountSummary>(id, 0, TimeSpan.Zero);
        Assert.True(plain.Stale, "A read of a projection that knows it is behind must be marked stale.");
        Assert.Equal((1L, 0m), (plain.Version, plain.View!.Balance));
        Assert.Equal(3, (await projection.GetStatus()).KnownVersion);

        cluster.Store.HealReads(stream, SummaryGrainType);
        await AwaitHealedAsync(id);
        // It filled the gap itself, retrying on its timer: the healer is only the backstop.
        Assert.Empty(await HealsOfAsync(id));
    }

    [Fact]
    public async Task A_read_whose_catch_up_hangs_on_the_store_answers_within_its_wait_marked_stale()
    {
        var id = NewId();
        var account = await OpenAsync(id);
        var stream = ClusterFixture.StreamOf(id);
        PublishFaults.DropNext(id);
        var deposited = await account.Execute(new DepositMoney(5m), CommandContext.New());
        cluster.Store.HoldReads(stream, SummaryGrainType);
        try
        {
            // Asked for a version the stream lost: the projection reads the store, which does not answer.
            var read = await cluster.Grains.GetGrain<IReadModelQueries>(0).Get<IAccountSummaryProjection, AccountSummary>(id, deposited.Version, TimeSpan.FromMilliseconds(300))
                .WaitAsync(TimeSpan.FromSeconds(5));

            Assert.True(read.Stale);
            Assert.Equal(1, read.Version);
        }
        finally
        {
            cluster.Store.ReleaseReads(stream, SummaryGrainType);
        }

        await AwaitHealedAsync(id);
    }

    [Fact]
    public async Task Healing_in_steady_state_asks_no_projection_whose_stream_delivered()
    {
        var ids = Enumerable.Range(0, 8).Select(_ => NewId()).ToArray();
        foreach (var id in ids)
        {
            var account = await OpenAsync(id);
            for (var i = 0; i < 5; i++)
            {
                await account.Execute(new DepositMoney(1m), CommandContext.New());
            }
        }

        await AwaitHealedAsync(ids);
        // Let the healer pass the grace period of the last deposit, then check it called none of them.
        var head = await cluster.Log.GetHeadPositionAsync();
        await Eventually.ReturnsAsync(() => cluster.Grains.GetGrain<IProjectionHealer>(0).GetStatus(), s => s.Checkpoint >= head, SummaryAudit.HealDeadline, $"the healer's checkpoint to pass {head}");
        foreach (var id in ids)
        {
            Assert.Empty(await HealsOfAsync(id));
        }
    }
}
