namespace OrleansCqrs.Framework.Processes;

/// <summary>
/// One per cluster (key 0): follows the global log and resumes every process that has not ended within the grace
/// after its latest event, so a process finishes with nobody calling, after a crash or a restart.
/// </summary>
[Alias("cqrs.IProcessResumer")]
public interface IProcessResumer : IGrainWithIntegerKey
{
    /// <summary>Nothing but activation: each write silo calls it so that the resumer runs (again, after its silo left).</summary>
    [Alias("keep-active")]
    Task KeepActive();

    [Alias("status")]
    Task<ProcessResumerStatus> GetStatus();
}

/// <summary>Where the resumer is: its saved checkpoint, how far it has read, how many processes are open, how many resumes it ran.</summary>
[GenerateSerializer, Immutable, Alias("cqrs.process-resumer-status.v1")]
public sealed record ProcessResumerStatus(
    [property: Id(0)] long Checkpoint,
    [property: Id(1)] long ReadUpTo,
    [property: Id(2)] int Open,
    [property: Id(3)] long Resumed,
    [property: Id(4)] IReadOnlyList<string> RecentlyResumed);

/// <summary>The resumer's durable checkpoint: every process whose events are at or below it has ended.</summary>
[GenerateSerializer, Alias("cqrs.process-resumer-state.v1")]
public sealed class ProcessResumerState
{
    [Id(0)] public long Checkpoint { get; set; }
}
