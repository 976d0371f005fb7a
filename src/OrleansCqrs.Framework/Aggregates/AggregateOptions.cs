namespace OrleansCqrs.Framework.Aggregates;

public sealed class AggregateOptions
{
    /// <summary>A snapshot is written once this many events have been applied since the last one.</summary>
    public int SnapshotEvery { get; set; } = 100;

    /// <summary>The Orleans stream provider committed events are published on; null publishes nothing.</summary>
    public string? StreamProvider { get; set; } = "events";

    /// <summary>
    /// The stream namespaces whose events are published: those some grain subscribes to. Pub/sub is implicit only, so
    /// events of any other namespace would reach nobody, and publishing them would cost a queue message and a pulling
    /// agent's delivery each (a transfer's own events: the ledger and the live feed read them from the log). Null
    /// publishes every namespace.
    /// </summary>
    public IReadOnlySet<string>? PublishedNamespaces { get; set; }

    /// <summary>How many times a command is decided again after another writer moved the stream on.</summary>
    public int MaxConflictRetries { get; set; } = 3;

    /// <summary>
    /// The most events one activation holds for publishing at once. Past it, a command still succeeds (its events are
    /// committed) but its events are not published: projections get them from the log (gap fill, healing) instead,
    /// so a slow stream costs projection lag, never memory without bound or a command.
    /// </summary>
    public int MaxUnpublishedEvents { get; set; } = 1000;

    /// <summary>Events read per round trip when an aggregate catches up with its stream.</summary>
    public int ReadPageSize { get; set; } = 4096;
}
