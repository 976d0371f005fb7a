using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Bank.Totals;

/// <summary>Bank-wide queries, served by stateless workers.</summary>
[Alias("bank.IBankQueries")]
public interface IBankQueries : IGrainWithIntegerKey
{
    /// <summary>The bank totals once every shard reflects global position <paramref name="minPosition"/>.</summary>
    [Alias("totals")]
    Task<ProjectionRead<BankTotals>> GetTotals(long minPosition, TimeSpan wait);
}
