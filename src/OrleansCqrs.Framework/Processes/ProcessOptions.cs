namespace OrleansCqrs.Framework.Processes;

/// <summary>Which process managers the <see cref="ProcessResumer"/> watches, and how soon it resumes an unfinished one.</summary>
public sealed class ProcessOptions
{
    /// <summary>
    /// For each process manager's stream namespace, its grain class. A silo host fills it from the domains'
    /// <c>[ProcessManager]</c> grains (<see cref="Domains.DomainCatalog"/>).
    /// </summary>
    public Dictionary<string, Type> Processes { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// How long after the resumer reads a process's latest event in the log it waits for the process to end on its
    /// own before resuming it. A transfer runs its steps in milliseconds; the margin absorbs load.
    /// </summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the resumer reads what was committed since its last read of the log.</summary>
    public TimeSpan TailEvery { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often each silo makes sure the resumer is active (it re-activates on a surviving silo).</summary>
    public TimeSpan KeepActiveEvery { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often, at most, the resumer saves the log position below which every process it read has ended.</summary>
    public TimeSpan CheckpointEvery { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The resumer stops reading the log while this many processes are unfinished: its memory stays bounded.</summary>
    public int MaxOpen { get; set; } = 100_000;

    /// <summary>Resume calls in flight at once.</summary>
    public int Parallelism { get; set; } = 32;

    /// <summary>The longest wait before resuming again a process whose resumption failed (the wait doubles from the grace).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Events per read of the log.</summary>
    public int ReadPageSize { get; set; } = 5000;
}
