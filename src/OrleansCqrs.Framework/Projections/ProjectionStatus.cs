namespace OrleansCqrs.Framework.Projections;

/// <summary>
/// How far a projection has got, the error it is stuck on, if any, and the highest version it knows the stream has
/// (from a stream event or the healer): above <see cref="Version"/> when it knows it is behind.
/// </summary>
[GenerateSerializer, Immutable, Alias("cqrs.projection-status.v1")]
public sealed record ProjectionStatus(
    [property: Id(0)] long Version,
    [property: Id(1)] string? StuckError,
    [property: Id(2)] long KnownVersion = 0)
{
    public bool IsStuck => StuckError is not null;

    public bool IsBehind => IsStuck || KnownVersion > Version;
}
