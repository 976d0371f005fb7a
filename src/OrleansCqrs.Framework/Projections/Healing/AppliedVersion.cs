namespace OrleansCqrs.Framework.Projections.Healing;

/// <summary>A projection grain and the source stream version it has applied.</summary>
[GenerateSerializer, Immutable, Alias("cqrs.applied-version.v1")]
public readonly record struct AppliedVersion(
    [property: Id(0)] GrainId Projection,
    [property: Id(1)] long Version);
