using Orleans.Concurrency;
using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Bank.Ledger;

/// <summary>
/// One shard of the ledger read model (key 0 to <see cref="LedgerShards.Count"/> - 1). Every read waits, up to
/// <c>wait</c>, until the shard reflects global position <c>minPosition</c>.
/// </summary>
[Alias("bank.ILedgerShard")]
public interface ILedgerShard : IGrainWithIntegerKey
{
    [Alias("totals"), AlwaysInterleave]
    Task<LogRead<BankTotals>> GetTotals(long minPosition, TimeSpan wait);

    /// <summary>
    /// The totals as of exactly global position <paramref name="position"/> (every event up to it, none after), once
    /// the shard has read that far; stale with a null view if the shard no longer knows them (too far back).
    /// </summary>
    [Alias("totals-at"), AlwaysInterleave]
    Task<LogRead<BankTotals>> GetTotalsAt(long position, TimeSpan wait);

    [Alias("top"), AlwaysInterleave]
    Task<LogRead<IReadOnlyList<AccountBalance>>> GetTop(int limit, long minPosition, TimeSpan wait);

    [Alias("customer-accounts"), AlwaysInterleave]
    Task<LogRead<IReadOnlyList<string>>> GetCustomerAccounts(string customerId, long minPosition, TimeSpan wait);

    /// <summary>The customer's accounts in this shard and the running transfers out of them, read at one position.</summary>
    [Alias("customer-holdings"), AlwaysInterleave]
    Task<LogRead<CustomerHoldings>> GetCustomerHoldings(string customerId, long minPosition, TimeSpan wait);

    [Alias("account-ids"), AlwaysInterleave]
    Task<LogRead<IReadOnlyList<string>>> GetAccountIds(long minPosition, TimeSpan wait);

    [Alias("status"), AlwaysInterleave]
    Task<LogStatus> GetStatus();

    /// <summary>
    /// For a generation a rebuild replaced: deletes its stored rows and stops it for good (it answers stale after).
    /// </summary>
    [Alias("retire")]
    Task Retire();
}
