using OrleansCqrs.Framework.Projections;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Accounts.Summary;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Bank.Tests.Accounts;

/// <summary>Rebuilds every account's summary, so it runs alone: a rebuild repairs what other tests expect broken.</summary>
[Collection(RunsAlone.Name)]
public sealed class AccountSummaryRebuildTests(ClusterFixture cluster)
{
    [Fact]
    public async Task A_rebuilt_summary_is_read_again_from_the_whole_stream_and_equals_the_live_one()
    {
        var id = $"acc-{Guid.NewGuid():N}";
        var account = cluster.Grains.GetGrain<IAccountGrain>(id);
        await account.Execute(new OpenAccount("cust-rb", "EUR"), CommandContext.New());
        var last = await account.Execute(new DepositMoney(8m), CommandContext.New());
        last = await account.Execute(new WithdrawMoney(3m), CommandContext.New());
        var queries = cluster.Grains.GetGrain<IReadModelQueries>(0);
        var live = await queries.Get<IAccountSummaryProjection, AccountSummary>(id, last.Version, TimeSpan.FromSeconds(10));

        var status = await cluster.Grains.GetGrain<IAccountSummaryProjection>(id).Rebuild();
        var rebuilt = await queries.Get<IAccountSummaryProjection, AccountSummary>(id, last.Version, TimeSpan.FromSeconds(10));

        Assert.Equal(3, status.Version);
        Assert.Equal(live.View, rebuilt.View);
        Assert.Contains(1L, ClusterFixture.Store.StreamReadsOf(ClusterFixture.StreamOf(id), "accountsummaryprojection"));
    }

    [Fact]
    public async Task A_reader_waiting_for_a_version_the_rebuild_brings_is_answered_by_the_rebuild()
    {
        var id = $"acc-{Guid.NewGuid():N}";
        var account = cluster.Grains.GetGrain<IAccountGrain>(id);
        await account.Execute(new OpenAccount("cust-rb", "EUR"), CommandContext.New());
        var queries = cluster.Grains.GetGrain<IReadModelQueries>(0);
        await queries.Get<IAccountSummaryProjection, AccountSummary>(id, 1, TimeSpan.FromSeconds(10));
        // The deposit's events reach the summary only through the rebuild: their stream delivery waits meanwhile.
        var gate = GatedEventPublisher.Hold(id);
        try
        {
            var readsBefore = ClusterFixture.Store.StreamReadsOf(ClusterFixture.StreamOf(id), "accountsummaryprojection").Count;
            var waiting = queries.Get<IAccountSummaryProjection, AccountSummary>(id, 2, TimeSpan.FromSeconds(20));
            // Its own catch-up found version 1: from here it waits for the summary to move.
            await Eventually.ReturnsAsync(
                () => Task.FromResult(ClusterFixture.Store.StreamReadsOf(ClusterFixture.StreamOf(id), "accountsummaryprojection").Count),
                n => n > readsBefore,
                TimeSpan.FromSeconds(10),
                "the reader's catch-up");
            await account.Execute(new DepositMoney(5m), CommandContext.New());

            Assert.Equal(2, (await cluster.Grains.GetGrain<IAccountSummaryProjection>(id).Rebuild()).Version);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var read = await waiting.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(5m, read.View!.Balance);
            // Otherwise only the healer would wake it, once its grace (2 s) after the deposit ran out.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1.5), $"The reader was answered {clock.Elapsed.TotalSeconds:0.0} s after the rebuild, not by it.");
        }
        finally
        {
            gate.Release();
        }
    }

    [Fact]
    public async Task Rebuilding_every_summary_reports_progress_until_each_known_account_is_done()
    {
        var id = $"acc-{Guid.NewGuid():N}";
        var opened = await cluster.Grains.GetGrain<IAccountGrain>(id).Execute(new OpenAccount("cust-rb", "EUR"), CommandContext.New());
        var job = cluster.Grains.GetGrain<IAccountSummaryRebuild>(0);

        await job.Start();
        var done = await Eventually.ReturnsAsync(job.GetProgress, p => !p.Running, TimeSpan.FromSeconds(30), "the rebuild to finish");

        Assert.True(done.Accounts >= 1);
        Assert.Equal(done.Accounts, done.Rebuilt + done.Failed);
        Assert.Equal(opened.Version, (await cluster.Grains.GetGrain<IAccountSummaryProjection>(id).GetStatus()).Version);
    }
}
