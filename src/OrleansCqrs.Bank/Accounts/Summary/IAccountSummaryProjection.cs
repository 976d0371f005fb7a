using Orleans.Concurrency;
using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Bank.Accounts.Summary;

/// <summary>The summary read model of one account, keyed by account id.</summary>
[Alias("bank.IAccountSummaryProjection")]
public interface IAccountSummaryProjection : IStreamProjection
{
    /// <summary>The summary once it reflects at least <paramref name="minVersion"/>, waiting up to <paramref name="wait"/>.</summary>
    [Alias("get"), AlwaysInterleave]
    Task<ProjectionRead<AccountSummary>> Get(long minVersion, TimeSpan wait);

    /// <summary>The summary once it reflects every event of the account up to global position <paramref name="minPosition"/>.</summary>
    [Alias("get-at-position"), AlwaysInterleave]
    Task<ProjectionRead<AccountSummary>> GetAtPosition(long minPosition);
}
