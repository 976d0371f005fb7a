namespace OrleansCqrs.Framework.Projections;

/// <summary>
/// What a read model answered: the view (null when the source has no events yet), the source version it reflects, and
/// whether the version the caller asked for was still out of reach when its wait ran out.
/// </summary>
[GenerateSerializer, Immutable, Alias("cqrs.projection-read.v1`1")]
public sealed record ProjectionRead<TView>(
    [property: Id(0)] TView? View,
    [property: Id(1)] long Version,
    [property: Id(2)] bool Stale);
