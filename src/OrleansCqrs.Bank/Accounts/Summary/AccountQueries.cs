using Orleans.Concurrency;
using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Bank.Accounts.Summary;

/// <summary>
/// Stateless query front for account read models: callers reach a local worker, never queue behind one grain, and
/// the wait for a version happens on the projection without blocking its updates.
/// </summary>
// Reentrant: a worker holds no state, and a read waiting for a version (up to its wait) must not hold one of the
// few workers per silo while other reads queue behind it.
[StatelessWorker, Reentrant]
public sealed class AccountQueries : Grain, IAccountQueries
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);

    public Task<ProjectionRead<AccountSummary>> GetSummary(string accountId, long minVersion, TimeSpan wait) =>
        GrainFactory.GetGrain<IAccountSummaryProjection>(accountId).Get(minVersion, wait > MaxWait ? MaxWait : wait);
}
