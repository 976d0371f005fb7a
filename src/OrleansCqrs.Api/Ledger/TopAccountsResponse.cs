using OrleansCqrs.Bank.Ledger;

namespace OrleansCqrs.Api.Ledger;

/// <summary>The top accounts as served, with the global log position they reflect.</summary>
public sealed record TopAccountsResponse(IReadOnlyList<AccountBalance> Accounts, long Position);
