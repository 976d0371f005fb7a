namespace OrleansCqrs.Framework.Projections;

/// <summary>How far a read model of the global log has got (the position it has applied up to), and the error it is stuck on, if any.</summary>
[GenerateSerializer, Immutable, Alias("cqrs.log-status.v1")]
public sealed record LogStatus(
    [property: Id(0)] long Position,
    [property: Id(1)] string? StuckError)
{
    public bool IsStuck => StuckError is not null;
}
