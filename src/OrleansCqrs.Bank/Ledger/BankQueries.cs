using Orleans.Concurrency;
using OrleansCqrs.Framework.Projections;
using OrleansCqrs.Framework.Roles;

namespace OrleansCqrs.Bank.Ledger;

/// <summary>
/// Merges the ledger shards. The totals are summed at one global position (the furthest any shard has read; the
/// others are asked for their totals as of it), so they are what the log implies at that position exactly; if a shard
/// cannot say (it no longer remembers that position) after a few tries, the sum of what each has is answered, with the
/// lowest position any reached (each shard's totals balance on their own, so the sum still balances). The top list
/// reflects the lowest position any shard has reached.
/// </summary>
// Reentrant: a worker holds no state, and a read waiting for a version (up to its wait) must not hold one of the
// few workers per silo while other reads queue behind it.
[StatelessWorker, Reentrant, ReadSide]
public sealed class BankQueries : Grain, IBankQueries
{
    private readonly ActiveLedger _ledger;

    public BankQueries(IGrainFactory grains) => _ledger = new ActiveLedger(grains);

    private const int AlignAttempts = 3;

    public async Task<LogRead<BankTotals>> GetTotals(long minPosition, TimeSpan wait)
    {
        var shards = await _ledger.ShardsAsync();
        var reads = await Task.WhenAll(shards.Select(s => s.GetTotals(minPosition, wait)));
        for (var attempt = 0; attempt < AlignAttempts && !reads.Any(r => r.Stale); attempt++)
        {
            var target = reads.Max(r => r.Position);
            if (reads.All(r => r.Position == target))
            {
                break;
            }

            var aligned = await Task.WhenAll(shards.Select((shard, i) => reads[i].Position == target ? Task.FromResult(reads[i]) : shard.GetTotalsAt(target, wait)));
            if (aligned.All(r => !r.Stale))
            {
                reads = aligned;
                break;
            }

            reads = await Task.WhenAll(shards.Select(s => s.GetTotals(minPosition, wait)));
        }

        return Merge(reads, BankTotals.Empty, (sum, shard) => sum.Plus(shard));
    }

    public async Task<LogRead<IReadOnlyList<AccountBalance>>> GetTopAccounts(int limit, long minPosition, TimeSpan wait)
    {
        var shards = await Task.WhenAll((await _ledger.ShardsAsync()).Select(s => s.GetTop(limit, minPosition, wait)));
        return Merge<IReadOnlyList<AccountBalance>>(shards, [], (top, shard) =>
            [.. top.Concat(shard).OrderByDescending(a => a.Balance).ThenBy(a => a.AccountId, StringComparer.Ordinal).Take(limit)]);
    }

    internal static LogRead<T> Merge<T>(LogRead<T>[] shards, T seed, Func<T, T, T> combine) =>
        new(shards.Aggregate(seed, (sum, shard) => combine(sum, shard.View!)), shards.Min(s => s.Position), shards.Any(s => s.Stale));
}
