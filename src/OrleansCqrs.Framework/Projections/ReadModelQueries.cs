using Orleans.Concurrency;
using OrleansCqrs.Framework.Roles;

namespace OrleansCqrs.Framework.Projections;

/// <summary>
/// Stateless query front for stream projections: callers reach a local worker, never queue behind one grain, and the
/// wait for a version happens on the projection without blocking its updates.
/// </summary>
// Reentrant: a worker holds no state, and a read waiting for a version (up to its wait) must not hold one of the
// few workers per silo while other reads queue behind it.
[StatelessWorker, Reentrant, ReadSide]
public sealed class ReadModelQueries : Grain, IReadModelQueries
{
    /// <summary>The longest a read waits for a version, whatever it asks.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);

    public Task<ProjectionRead<TView>> Get<TProjection, TView>(string key, long minVersion, TimeSpan wait)
        where TProjection : IStreamProjection<TView>
        where TView : class =>
        GrainFactory.GetGrain<TProjection>(key).Get(minVersion, wait > MaxWait ? MaxWait : wait);
}
