using Orleans.TestingHost;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Transfers;

namespace OrleansCqrs.Bank.Tests.Transfers;

/// <summary>
/// Transfers under contention on a two-silo cluster of their own (on a store of their own): rings, random pairs,
/// withdrawals racing transfers on one source, and a silo stopped or killed while transfers run. Judged by the log
/// (<see cref="TransferAudit"/>): every transfer ends, no money moves twice, money is conserved exactly, and the account
/// summaries equal the log with nobody reading them.
/// </summary>
public sealed class TransferResilienceTests : IAsyncLifetime
{
    private readonly string _name = $"transfers-{Guid.NewGuid():N}";
    private readonly TransferLoad _load;
    private TestCluster _cluster = null!;

    public TransferResilienceTests() => _load = new TransferLoad(() => _cluster.GrainFactory);

    private Framework.EventStore.IEventStore Log => ClusterFixture.StoreOf(_name).Inner;

    public async ValueTask InitializeAsync() => _cluster = await ClusterFixture.DeployAsync(_name);

    public async ValueTask DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    private static decimal Amount(Random random, int max) => random.Next(1, max + 1);

    [Fact]
    public async Task Concurrent_rings_and_random_pairs_all_end_with_no_money_moved_twice_or_lost()
    {
        var random = new Random(10);
        var rings = await Task.WhenAll(Enumerable.Range(0, 3).Select(r => _load.OpenAsync($"ring{r}", 6, 50m)));
        var pairs = await _load.OpenAsync("pair", 10, 100m);
        var dollars = await _load.OpenAsync("usd", 2, 100m, "USD");
        var everyone = pairs.Concat(dollars).ToArray();

        // Each ring member sends to the next, three rounds at once: A→B→C→…→A, money running round while it moves.
        var ringTransfers = rings.SelectMany(ring => Enumerable.Range(0, 3).SelectMany(_ => ring.Select((from, i) => (From: from, To: ring[(i + 1) % ring.Length], Amount: Amount(random, 60)))));
        // Random pairs, some across currencies: refused by the destination after the debit, so refunded.
        var pairTransfers = Enumerable.Range(0, 120).Select(_ =>
        {
            var from = everyone[random.Next(everyone.Length)];
            var to = everyone.Where(a => a != from).ElementAt(random.Next(everyone.Length - 1));
            return (From: from, To: to, Amount: Amount(random, 45));
        });
        var planned = ringTransfers.Concat(pairTransfers).ToList();
        await Parallel.ForEachAsync(planned, new ParallelOptions { MaxDegreeOfParallelism = 24 }, async (t, _) => await _load.RequestAsync(t.From, t.To, t.Amount));

        var completed = await _load.AuditAsync(Log, TimeSpan.FromSeconds(30));
        var views = await Task.WhenAll(_load.Transfers.Select(_load.GetAsync));
        Assert.True(completed > planned.Count / 3, $"Only {completed} of {planned.Count} transfers completed.");
        Assert.Contains(views, v => v.Code == "insufficient-funds");
        Assert.Contains(views, v => v.Code == "currency-mismatch" && v.Steps.Any(s => s.Step == "refunded"));
        await SummaryAudit.AwaitMatchLogAsync(_cluster.GrainFactory, Log, _load.Accounts, SummaryAudit.HealDeadline);
    }

    [Fact]
    public async Task Transfers_racing_withdrawals_on_one_source_spend_its_money_once()
    {
        var source = (await _load.OpenAsync("source", 1, 100m))[0];
        var destinations = await _load.OpenAsync("dest", 5, 0m);

        var transfers = Enumerable.Range(0, 15).Select(i => (Func<Task<bool>>)(async () =>
        {
            var id = await _load.RequestAsync(source, destinations[i % destinations.Length], 10m);
            return (await _load.GetAsync(id)).Status == TransferView.Completed;
        }));
        var withdrawals = Enumerable.Range(0, 15).Select(_ => (Func<Task<bool>>)(async () =>
            (await _load.ExecuteAsync(source, new WithdrawMoney(10m))).IsAccepted));
        var outcomes = await Task.WhenAll(transfers.Zip(withdrawals, (t, w) => new[] { t, w }).SelectMany(pair => pair).Select(run => Task.Run(run)));

        await _load.AuditAsync(Log, TimeSpan.FromSeconds(30));
        Assert.Equal(10, outcomes.Count(spent => spent));
        await SummaryAudit.AwaitMatchLogAsync(_cluster.GrainFactory, Log, _load.Accounts, SummaryAudit.HealDeadline);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_silo_going_away_mid_transfer_leaves_every_transfer_ended_and_money_conserved(bool kill)
    {
        var random = new Random(kill ? 2 : 1);
        var accounts = await _load.OpenAsync("failover", 16, 100m);
        var planned = Enumerable.Range(0, 240).Select(_ =>
        {
            var from = accounts[random.Next(accounts.Length)];
            return (From: from, To: accounts.Where(a => a != from).ElementAt(random.Next(accounts.Length - 1)), Amount: Amount(random, 40));
        }).ToList();
        var requested = 0;
        var third = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var load = Parallel.ForEachAsync(planned, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (t, _) =>
        {
            await _load.RequestAsync(t.From, t.To, t.Amount);
            if (Interlocked.Increment(ref requested) == planned.Count / 3)
            {
                third.SetResult();
            }
        });

        await third.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var leaving = _cluster.SecondarySilos[0];
        await (kill ? _cluster.KillSiloAsync(leaving) : _cluster.StopSiloAsync(leaving));
        await load.WaitAsync(TimeSpan.FromSeconds(90));

        await _load.AuditAsync(Log, TimeSpan.FromSeconds(30));
        await SummaryAudit.AwaitMatchLogAsync(_cluster.GrainFactory, Log, _load.Accounts, SummaryAudit.HealDeadline);
    }
}
