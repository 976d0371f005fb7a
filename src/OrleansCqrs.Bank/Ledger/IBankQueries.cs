using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Bank.Ledger;

/// <summary>Bank-wide queries over the ledger shards, served by stateless workers.</summary>
[Alias("bank.IBankQueries")]
public interface IBankQueries : IGrainWithIntegerKey
{
    /// <summary>The bank totals once every shard reflects global position <paramref name="minPosition"/>.</summary>
    [Alias("totals")]
    Task<LogRead<BankTotals>> GetTotals(long minPosition, TimeSpan wait);

    /// <summary>The <paramref name="limit"/> accounts with the highest balances, highest first.</summary>
    [Alias("top")]
    Task<LogRead<IReadOnlyList<AccountBalance>>> GetTopAccounts(int limit, long minPosition, TimeSpan wait);
}
