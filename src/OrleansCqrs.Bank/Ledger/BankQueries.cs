using Orleans.Concurrency;
using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Bank.Ledger;

/// <summary>Merges the ledger shards; an answer reflects the lowest position any shard has reached.</summary>
// Reentrant: a worker holds no state, and a read waiting for a version (up to its wait) must not hold one of the
// few workers per silo while other reads queue behind it.
[StatelessWorker, Reentrant]
public sealed class BankQueries : Grain, IBankQueries
{
    private readonly ActiveLedger _ledger;

    public BankQueries(IGrainFactory grains) => _ledger = new ActiveLedger(grains);

    public async Task<LogRead<BankTotals>> GetTotals(long minPosition, TimeSpan wait) =>
        Merge(await Task.WhenAll((await _ledger.ShardsAsync()).Select(s => s.GetTotals(minPosition, wait))), BankTotals.Empty, (sum, shard) => sum.Plus(shard));

    public async Task<LogRead<IReadOnlyList<AccountBalance>>> GetTopAccounts(int limit, long minPosition, TimeSpan wait)
    {
        var shards = await Task.WhenAll((await _ledger.ShardsAsync()).Select(s => s.GetTop(limit, minPosition, wait)));
        return Merge<IReadOnlyList<AccountBalance>>(shards, [], (top, shard) =>
            [.. top.Concat(shard).OrderByDescending(a => a.Balance).ThenBy(a => a.AccountId, StringComparer.Ordinal).Take(limit)]);
    }

    internal static LogRead<T> Merge<T>(LogRead<T>[] shards, T seed, Func<T, T, T> combine) =>
        new(shards.Aggregate(seed, (sum, shard) => combine(sum, shard.View!)), shards.Min(s => s.Position), shards.Any(s => s.Stale));
}
