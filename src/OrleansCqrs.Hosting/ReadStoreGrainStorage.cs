using Npgsql;
using Orleans.Storage;
using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Hosting;

/// <summary>
/// The grain storage of read models on PostgreSQL: Orleans' ADO.NET storage, whose database errors are told as
/// <see cref="ReadStoreUnavailableException"/>. Orleans passes an <see cref="OrleansException"/> through to the caller
/// as it is, where it would wrap anything else in a generic storage error; so a read of a model that cannot be loaded
/// while the read store is down is answered 503 read-store-unavailable, not 500. As the row store does, the first such
/// failure drops the pooled connections of <paramref name="connectionString"/> (dead after a server restart) and tries
/// once more; a write tried again is refused by its etag if the first landed after all.
/// </summary>
internal sealed class ReadStoreGrainStorage(IGrainStorage inner, string connectionString) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
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
        catch (Exception ex) when (ReadStoreUnavailableException.IsUnavailable(ex))
        {
            throw ReadStoreUnavailableException.From(ex);
        }
    }
}
