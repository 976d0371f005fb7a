using Orleans.Concurrency;
using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Bank.Totals;

/// <summary>The totals of the accounts of one shard (key 0 to <see cref="TotalsShards.Count"/> - 1).</summary>
[Alias("bank.IBankTotalsShard")]
public interface IBankTotalsShard : IGrainWithIntegerKey
{
    [Alias("get"), AlwaysInterleave]
    Task<ProjectionRead<BankTotals>> Get(long minPosition, TimeSpan wait);

    [Alias("status"), AlwaysInterleave]
    Task<ProjectionStatus> GetStatus();
}
