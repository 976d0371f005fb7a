namespace OrleansCqrs.Framework.Projections;

/// <summary>
/// A read model built from the global log: its state and the log position it reflects, persisted together, so that
/// after a restart it resumes reading exactly where its saved state ends.
/// </summary>
[GenerateSerializer]
public sealed class LogProjectionState<TState>
{
    /// <summary>The global position of the last log entry read (applied, or not of interest).</summary>
    [Id(0)] public long Position { get; set; }

    [Id(1)] public TState? State { get; set; }

    /// <summary>Set when the event after <see cref="Position"/> keeps failing to apply.</summary>
    [Id(2)] public string? StuckError { get; set; }
}
