namespace OrleansCqrs.Framework.EventStore;

/// <summary>How concurrent appends are gathered into one transaction.</summary>
public sealed class GroupCommitOptions
{
    /// <summary>The most appends written in one transaction.</summary>
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>The most events written in one transaction (a batch closes early when it would pass this).</summary>
    public int MaxBatchEvents { get; set; } = 4096;
}
