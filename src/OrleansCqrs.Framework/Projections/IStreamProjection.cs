using Orleans.Concurrency;

namespace OrleansCqrs.Framework.Projections;

/// <summary>What every read model of one source stream answers, whatever its view.</summary>
[Alias("cqrs.IStreamProjection")]
public interface IStreamProjection : IGrainWithStringKey
{
    /// <summary>Applies whatever the store has beyond the checkpoint (a lost tail, say) and reports where it is.</summary>
    [Alias("catch-up"), AlwaysInterleave]
    Task<ProjectionStatus> CatchUp();

    [Alias("status"), AlwaysInterleave]
    Task<ProjectionStatus> GetStatus();

    /// <summary>
    /// Rebuilds the read state from the whole stream, blue/green: the current state keeps serving until the new one
    /// has caught up, then replaces it.
    /// </summary>
    [Alias("rebuild"), AlwaysInterleave]
    Task<ProjectionStatus> Rebuild();
}
