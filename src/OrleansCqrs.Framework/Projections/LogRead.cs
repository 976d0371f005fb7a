namespace OrleansCqrs.Framework.Projections;

/// <summary>
/// What a read model of the global log answered: the view (null when it has none), the global log position it reflects
/// (every event up to there is in it), and whether the position the caller asked for was still out of reach when its
/// wait ran out.
/// </summary>
[GenerateSerializer, Immutable, Alias("cqrs.log-read.v1`1")]
public sealed record LogRead<TView>(
    [property: Id(0)] TView? View,
    [property: Id(1)] long Position,
    [property: Id(2)] bool Stale);
