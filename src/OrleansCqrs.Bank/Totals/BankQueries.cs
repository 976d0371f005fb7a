using Orleans.Concurrency;
using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Bank.Totals;

/// <summary>Sums the totals shards; the answer reflects the lowest position any shard has reached.</summary>
[StatelessWorker]
public sealed class BankQueries : Grain, IBankQueries
{
    public async Task<ProjectionRead<BankTotals>> GetTotals(long minPosition, TimeSpan wait)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, TotalsShards.Count)
            .Select(shard => GrainFactory.GetGrain<IBankTotalsShard>(shard).Get(minPosition, wait)));
        var total = shards.Aggregate(BankTotals.Empty, (sum, shard) => sum.Plus(shard.View!));
        return new ProjectionRead<BankTotals>(total, shards.Min(s => s.Version), shards.Any(s => s.Stale));
    }
}
