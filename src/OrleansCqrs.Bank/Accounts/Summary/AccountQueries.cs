using Orleans.Concurrency;
using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Bank.Accounts.Summary;

/// <summary>
/// Stateless query front for account read models: callers reach a local worker, never queue behind one grain, and
/// the wait for a version happens on the projection without blocking its updates.
/// </summary>
[StatelessWorker]
public sealed class AccountQueries : Grain, IAccountQueries
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);

    public Task<ProjectionRead<AccountSummary>> GetSummary(string accountId, long minVersion, TimeSpan wait) =>
        GrainFactory.GetGrain<IAccountSummaryProjection>(accountId).Get(minVersion, wait > MaxWait ? MaxWait : wait);
}
