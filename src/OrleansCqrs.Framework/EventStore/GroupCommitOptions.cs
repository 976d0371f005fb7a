namespace OrleansCqrs.Framework.EventStore;

/// <summary>How concurrent appends are gathered into one transaction.</summary>
public sealed class GroupCommitOptions
{
    /// <summary>The most appends written in one transaction.</summary>
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>The most events written in one transaction (a batch closes early when it would pass this).</summary>
    public int MaxBatchEvents { get; set; } = 4096;

    /// <summary>
    /// Writer threads. With two or more, batches are built, sent and committed side by side (PostgreSQL writers never
    /// wait for each other), so the database never waits for the client between batches. Streams are split between
    /// writers by hash, so a stream's appends still commit in the order they were queued. A database with a single
    /// writer (SQLite) gains nothing from more than one.
    /// </summary>
    public int Writers { get; set; } = 1;

    /// <summary>
    /// The longest an append waits for its writer's answer before it fails as unavailable (HTTP 503): longer than a
    /// batch can take with the database's own timeouts, so it only fires when a writer hangs or is gone. Checked a few
    /// times per deadline (every quarter of it, at most every second): an append fails at most that much past it.
    /// </summary>
    public TimeSpan AppendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long disposing waits for the writers to finish what was queued.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
