using System.Diagnostics;
using Orleans.Core.Internal;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Ledger;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Bank.Tests.Ledger;

/// <summary>A ledger read never waits longer than it asked to, whatever the shard still has to read.</summary>
public sealed class LedgerReadBoundTests(ClusterFixture cluster)
{
    /// <summary>A generation of shards no other test touches: it starts from an empty state at position 0.</summary>
    private ILedgerShard FreshShard() =>
        cluster.Grains.GetGrain<ILedgerShard>(LedgerShards.Key(Random.Shared.Next(1_000, 20_000_000), 0));

    [Fact]
    public async Task A_first_read_of_a_shard_with_a_long_backlog_answers_stale_within_its_wait()
    {
        // At least one event in the log, whatever ran before: a backlog to catch up on.
        await cluster.Grains.GetGrain<IAccountGrain>($"backlog-{Guid.NewGuid():N}").Execute(new OpenAccount("cust-backlog", "EUR"), CommandContext.New());
        var shard = FreshShard();
        // Every page of the log takes 3 s to read: the catch-up outlasts the wait by far.
        ClusterFixture.Store.SlowLogReadsOf(shard.GetGrainId(), TimeSpan.FromSeconds(3));
        try
        {
            var clock = Stopwatch.StartNew();
            var read = await shard.GetTotals(0, TimeSpan.FromMilliseconds(200));

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"The first read took {clock.Elapsed.TotalMilliseconds:0} ms for a 200 ms wait.");
            Assert.True(read.Stale);
        }
        finally
        {
            ClusterFixture.Store.SlowLogReadsOf(shard.GetGrainId(), TimeSpan.Zero);
        }

        // The catch-up went on behind the answer, and a later read sees it done.
        var caughtUp = await Eventually.ReturnsAsync(() => shard.GetTotals(0, TimeSpan.FromSeconds(1)), r => !r.Stale, TimeSpan.FromSeconds(20), "the shard to catch up");
        Assert.True(caughtUp.Position > 0);
    }

    [Fact]
    public async Task A_shard_reactivated_on_a_quiet_log_answers_at_once_not_when_its_wait_runs_out()
    {
        var shard = FreshShard();
        // Nothing arrives after its checkpoint: its first read after activation finds an empty page.
        var head = await ClusterFixture.Database.GetHeadPositionAsync();
        ClusterFixture.Store.HoldLogHeadOf(shard.GetGrainId(), head);
        try
        {
            Assert.False((await shard.GetTotals(head, TimeSpan.FromSeconds(10))).Stale);
            await shard.Cast<IGrainManagementExtension>().DeactivateOnIdle();

            var clock = Stopwatch.StartNew();
            var read = await shard.GetTotals(0, TimeSpan.FromSeconds(10));

            Assert.False(read.Stale);
            Assert.Equal(head, read.Position);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"The read took {clock.Elapsed.TotalMilliseconds:0} ms of its 10 s wait on a log with nothing to read.");
        }
        finally
        {
            ClusterFixture.Store.HoldLogHeadOf(shard.GetGrainId(), null);
        }
    }

    [Fact]
    public async Task A_position_beyond_the_log_waits_at_most_the_wait_asked_for()
    {
        var bank = cluster.Grains.GetGrain<IBankQueries>(0);
        await bank.GetTotals(0, TimeSpan.FromSeconds(10));

        var clock = Stopwatch.StartNew();
        var read = await bank.GetTotals(long.MaxValue, TimeSpan.FromMilliseconds(300));

        Assert.True(read.Stale);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(250), "It answered before its wait ran out.");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"The read took {clock.Elapsed.TotalMilliseconds:0} ms for a 300 ms wait.");
    }
}
