using OrleansCqrs.Bank.Ledger;

namespace OrleansCqrs.Api.Ledger;

/// <summary>
/// The bank totals as served: <paramref name="Position"/> is the global log position they reflect. Each currency
/// carries its money in flight (sent, neither received nor returned yet); <paramref name="Transfers"/> counts the
/// transfers.
/// </summary>
public sealed record BankTotalsResponse(long Accounts, long OpenAccounts, IReadOnlyList<CurrencyTotals> Currencies, TransferCounts Transfers, long Position);
