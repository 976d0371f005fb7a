namespace OrleansCqrs.Framework.Projections;

/// <summary>How far a projection has got, and the error it is stuck on, if any.</summary>
[GenerateSerializer, Immutable, Alias("cqrs.projection-status.v1")]
public sealed record ProjectionStatus(
    [property: Id(0)] long Version,
    [property: Id(1)] string? StuckError)
{
    public bool IsStuck => StuckError is not null;
}
