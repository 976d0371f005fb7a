using Orleans.Concurrency;

namespace OrleansCqrs.Framework.Projections;

/// <summary>What every read model of one source stream answers, whatever its view.</summary>
[Alias("cqrs.IStreamProjection")]
public interface IStreamProjection : IGrainWithStringKey
{
    /// <summary>
    /// Learns that the stream has reached at least <paramref name="knownVersion"/> and, if the projection is behind
    /// that (or <paramref name="knownVersion"/> is 0), applies what the store has beyond its checkpoint; reports where
    /// it is. A store that cannot be read leaves it behind, saying so, and retrying on its own.
    /// </summary>
    [Alias("catch-up"), AlwaysInterleave]
    Task<ProjectionStatus> CatchUp(long knownVersion);

    [Alias("status"), AlwaysInterleave]
    Task<ProjectionStatus> GetStatus();

    /// <summary>
    /// Rebuilds the read state from the whole stream, blue/green: the current state keeps serving until the new one
    /// has caught up, then replaces it.
    /// </summary>
    [Alias("rebuild"), AlwaysInterleave]
    Task<ProjectionStatus> Rebuild();
}
