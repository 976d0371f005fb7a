namespace OrleansCqrs.Framework.Projections.Healing;

/// <summary>Which projections the healer watches, and how soon it steps in when one has not applied an event.</summary>
public sealed class HealingOptions
{
    /// <summary>
    /// For each aggregate stream namespace, the projection grain classes fed by its streams. A silo host fills it from
    /// the domains' <c>[ImplicitStreamSubscription]</c> projections (<see cref="Domains.DomainCatalog"/>).
    /// </summary>
    public Dictionary<string, List<Type>> Projections { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// How long after the healer reads an event from the log a projection may take to report it applied before the
    /// healer asks it to catch up. Stream delivery takes ~10 ms (p99) in steady state; the margin absorbs load and
    /// the progress push interval, so that healing costs nothing while streams work.
    /// </summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the healer reads what was committed since its last read of the log.</summary>
    public TimeSpan TailEvery { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often each silo sends the healer the versions its projections applied (and keeps it active).</summary>
    public TimeSpan PushEvery { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often, at most, the healer saves the log position below which every event is confirmed.</summary>
    public TimeSpan CheckpointEvery { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the healer remembers a version reported applied that it has not yet read in the log (a push can
    /// overtake the log read). Past that, a late log read costs one needless catch-up call, never a missed heal.
    /// </summary>
    public TimeSpan RememberApplied { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The healer stops reading the log while this many projections are unconfirmed: its memory stays bounded.</summary>
    public int MaxPending { get; set; } = 50_000;

    /// <summary>Catch-up calls in flight at once.</summary>
    public int Parallelism { get; set; } = 32;

    /// <summary>The longest wait before retrying a projection whose catch-up failed (the wait doubles from the grace).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Events per read of the log.</summary>
    public int ReadPageSize { get; set; } = 5000;
}
