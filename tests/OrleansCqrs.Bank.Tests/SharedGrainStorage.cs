using System.Collections.Concurrent;
using Orleans.Serialization;
using Orleans.Storage;

namespace OrleansCqrs.Bank.Tests;

/// <summary>
/// Grain storage that behaves like the database it stands for: shared by every silo of a cluster and outliving any
/// of them. (Orleans' memory storage keeps states in grains of the silos themselves, so a silo that stops takes
/// some states with it and activations elsewhere fail to read theirs, which no production store does.)
/// </summary>
public sealed class SharedGrainStorage(string cluster, DeepCopier copier) : IGrainStorage
{
    private static readonly ConcurrentDictionary<(string Cluster, string State, GrainId Grain), (object State, string ETag)> States = new();

    /// <summary>
    /// What a grain last saved, read without activating it, whichever cluster saved it (tests give their grains
    /// unique ids); null if it saved nothing.
    /// </summary>
    public static T? Saved<T>(string stateName, GrainId grainId) where T : class =>
        States.FirstOrDefault(s => s.Key.State == stateName && s.Key.Grain == grainId).Value.State as T;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        if (States.TryGetValue((cluster, stateName, grainId), out var stored))
        {
            grainState.State = copier.Copy((T)stored.State);
            grainState.ETag = stored.ETag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var etag = Guid.NewGuid().ToString("N");
        States[(cluster, stateName, grainId)] = (copier.Copy(grainState.State)!, etag);
        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        States.TryRemove((cluster, stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }
}
