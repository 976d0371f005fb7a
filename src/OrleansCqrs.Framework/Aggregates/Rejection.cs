namespace OrleansCqrs.Framework.Aggregates;

/// <summary>An expected business outcome that turns a command down; <paramref name="Code"/> is stable for callers.</summary>
[GenerateSerializer, Immutable, Alias("cqrs.rejection.v1")]
public sealed record Rejection(
    [property: Id(0)] RejectionKind Kind,
    [property: Id(1)] string Code,
    [property: Id(2)] string Message,
    [property: Id(3)] string? Field = null);
