namespace OrleansCqrs.Framework.Projections.Healing;

/// <summary>What the healer re-checks after a failure, and how far back.</summary>
public sealed class HealingOptions
{
    /// <summary>For each aggregate stream namespace, the projection grain interfaces fed by its streams.</summary>
    public Dictionary<string, List<Type>> Projections { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// How far back a failure can have lost events: commit then crash before publish, or a stream message queued on a
    /// silo that died. The healer re-checks every stream with an event this recent.
    /// </summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often each silo records the log head for the window (and keeps the healer awake).</summary>
    public TimeSpan SampleEvery { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Projections re-checked at once.</summary>
    public int Parallelism { get; set; } = 32;
}
