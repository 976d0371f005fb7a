using OrleansCqrs.Bank.Ledger;

namespace OrleansCqrs.Api.Ledger;

/// <summary>The bank totals as served: <paramref name="Position"/> is the global log position they reflect.</summary>
public sealed record BankTotalsResponse(long Accounts, long OpenAccounts, IReadOnlyList<CurrencyTotals> Currencies, long Position);
