namespace OrleansCqrs.Framework.Aggregates;

public sealed class AggregateOptions
{
    /// <summary>A snapshot is written once this many events have been applied since the last one.</summary>
    public int SnapshotEvery { get; set; } = 100;

    /// <summary>The Orleans stream provider committed events are published on; null publishes nothing.</summary>
    public string? StreamProvider { get; set; } = "events";

    /// <summary>How many times a command is decided again after another writer moved the stream on.</summary>
    public int MaxConflictRetries { get; set; } = 3;

    /// <summary>Events read per round trip when an aggregate catches up with its stream.</summary>
    public int ReadPageSize { get; set; } = 4096;
}
