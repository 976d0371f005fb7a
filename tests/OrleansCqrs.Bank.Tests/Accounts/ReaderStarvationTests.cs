using OrleansCqrs.Framework.Projections;
using System.Diagnostics;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Accounts.Summary;
using OrleansCqrs.Bank.Ledger;
using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Bank.Tests.Accounts;

/// <summary>
/// Reads that wait (for a version or position nobody will write) must not hold up other reads: the stateless query
/// grains have only a few activations per silo, so without interleaving a handful of waits stall every read.
/// </summary>
public sealed class ReaderStarvationTests(ClusterFixture cluster)
{
    private static readonly TimeSpan LongWait = TimeSpan.FromSeconds(8);

    // Far below the waits in flight: a plain read queued behind even one of them would take seconds.
    private static readonly TimeSpan PlainReadBound = TimeSpan.FromSeconds(2);

    private const int Waiters = 24;

    [Fact]
    public async Task Plain_summary_reads_answer_while_many_reads_wait_for_unreachable_versions()
    {
        var accountId = $"starve-{Guid.NewGuid():N}";
        await cluster.Grains.GetGrain<IAccountGrain>(accountId).Execute(new OpenAccount("cust-s", "EUR"), CommandContext.New());
        var queries = cluster.Grains.GetGrain<IReadModelQueries>(0);
        await queries.Get<IAccountSummaryProjection, AccountSummary>(accountId, 1, LongWait);

        var waiting = Enumerable.Range(0, Waiters).Select(_ => queries.Get<IAccountSummaryProjection, AccountSummary>(accountId, long.MaxValue, LongWait)).ToArray();
        await Task.Delay(TimeSpan.FromMilliseconds(300)); // let the waits reach the workers first

        var clock = Stopwatch.StartNew();
        var plain = await queries.Get<IAccountSummaryProjection, AccountSummary>(accountId, 0, TimeSpan.Zero).WaitAsync(LongWait);
        var elapsed = clock.Elapsed;

        Assert.NotNull(plain.View);
        Assert.False(plain.Stale);
        Assert.True(elapsed < PlainReadBound, $"A plain read took {elapsed.TotalMilliseconds:0} ms behind {Waiters} waiting reads.");
        Assert.All(await Task.WhenAll(waiting), read => Assert.True(read.Stale));
    }

    [Fact]
    public async Task Plain_totals_reads_answer_while_many_reads_wait_for_an_unreachable_position()
    {
        var bank = cluster.Grains.GetGrain<IBankQueries>(0);
        await bank.GetTotals(0, LongWait);

        var waiting = Enumerable.Range(0, Waiters).Select(_ => bank.GetTotals(long.MaxValue, LongWait)).ToArray();
        await Task.Delay(TimeSpan.FromMilliseconds(300));

        var clock = Stopwatch.StartNew();
        var plain = await bank.GetTotals(0, TimeSpan.FromSeconds(1)).WaitAsync(LongWait);
        var elapsed = clock.Elapsed;

        Assert.False(plain.Stale);
        Assert.True(elapsed < PlainReadBound, $"A plain totals read took {elapsed.TotalMilliseconds:0} ms behind {Waiters} waiting reads.");
        Assert.All(await Task.WhenAll(waiting), read => Assert.True(read.Stale));
    }

    [Fact]
    public async Task A_version_beyond_anything_written_waits_at_most_the_wait_asked_for()
    {
        var accountId = $"beyond-{Guid.NewGuid():N}";
        await cluster.Grains.GetGrain<IAccountGrain>(accountId).Execute(new OpenAccount("cust-s", "EUR"), CommandContext.New());
        var queries = cluster.Grains.GetGrain<IReadModelQueries>(0);

        var clock = Stopwatch.StartNew();
        var read = await queries.Get<IAccountSummaryProjection, AccountSummary>(accountId, long.MaxValue, TimeSpan.FromMilliseconds(300));

        Assert.True(read.Stale);
        Assert.Equal(1, read.Version);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"The read took {clock.Elapsed.TotalMilliseconds:0} ms for a 300 ms wait.");
    }
}
