namespace OrleansCqrs.Framework.EventStore;

/// <summary>How concurrent appends are gathered into one transaction.</summary>
public sealed class GroupCommitOptions
{
    /// <summary>The most appends written in one transaction.</summary>
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>The most events written in one transaction (a batch closes early when it would pass this).</summary>
    public int MaxBatchEvents { get; set; } = 4096;

    /// <summary>
    /// Writer threads. With two, the next batch is built, sent and waiting for the database's append lock while the
    /// previous one commits, so the database never waits for the client between batches. Streams are split between
    /// writers by hash, so a stream's appends still commit in the order they were queued. A database with a single
    /// writer (SQLite) gains nothing from more than one.
    /// </summary>
    public int Writers { get; set; } = 1;
}
