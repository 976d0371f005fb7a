namespace OrleansCqrs.Framework.Projections;

/// <summary>
/// A projection's read state and its checkpoint in one persisted object, so that a restart can neither apply an event
/// twice nor skip one: the state always reflects exactly the events up to <see cref="Version"/>.
/// </summary>
[GenerateSerializer]
public sealed class ProjectionState<TState>
{
    /// <summary>The source stream version of the last event applied; 0 before the first.</summary>
    [Id(0)] public long Version { get; set; }

    [Id(1)] public TState? State { get; set; }

    /// <summary>Set when the event after <see cref="Version"/> keeps failing to apply: the projection is stuck there.</summary>
    [Id(2)] public string? StuckError { get; set; }
}
