using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Bank.Accounts.Summary;

/// <summary>The summary read model of one account, keyed by account id.</summary>
[Alias("bank.IAccountSummaryProjection")]
public interface IAccountSummaryProjection : IStreamProjection<AccountSummary>;
