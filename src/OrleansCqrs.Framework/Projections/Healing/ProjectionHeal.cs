namespace OrleansCqrs.Framework.Projections.Healing;

/// <summary>One catch-up the healer asked for: the projection, the version it expected, where it got, and when.</summary>
[GenerateSerializer, Immutable, Alias("cqrs.projection-heal.v1")]
public sealed record ProjectionHeal(
    [property: Id(0)] GrainId Projection,
    [property: Id(1)] long ExpectedVersion,
    [property: Id(2)] long ReachedVersion,
    [property: Id(3)] DateTimeOffset At);
