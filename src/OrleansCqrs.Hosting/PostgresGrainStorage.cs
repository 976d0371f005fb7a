using Npgsql;
using Orleans.Storage;
using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Hosting;

/// <summary>
/// Orleans' ADO.NET grain storage on PostgreSQL, riding out a server restart: every connection pooled before it is
/// dead after it, and each would fail one call (an aggregate's activation, a deactivating projection's last save), so
/// the first failure of an unreachable database drops the pool of <paramref name="connectionString"/> and tries once
/// more; a write tried again is refused by its etag if the first landed after all. For the read models' storages
/// (<paramref name="holdsReadModels"/>) a database that stays unreachable is told as
/// <see cref="ReadStoreUnavailableException"/>: Orleans passes an <see cref="OrleansException"/> through to the
/// caller as it is, where it would wrap anything else in a generic storage error, so a read of a model that cannot be
/// loaded is answered 503 read-store-unavailable, not 500.
/// </summary>
internal sealed class PostgresGrainStorage(IGrainStorage inner, string connectionString, bool holdsReadModels)
    : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Guard(() => inner.ReadStateAsync(stateName, grainId, grainState));

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Guard(() => inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Guard(() => inner.ClearStateAsync(stateName, grainId, grainState));

    // The ADO.NET storage reads its statements from the database when the silo starts.
    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);

    private async Task Guard(Func<Task> action)
    {
        try
        {
            await action();
            return;
        }
        catch (Exception ex) when (ReadStoreUnavailableException.IsUnavailable(ex))
        {
            using var pooled = new NpgsqlConnection(connectionString);
            NpgsqlConnection.ClearPool(pooled);
        }

        try
        {
            await action();
        }
        catch (Exception ex) when (holdsReadModels && ReadStoreUnavailableException.IsUnavailable(ex))
        {
            throw ReadStoreUnavailableException.From(ex);
        }
    }
}
