namespace OrleansCqrs.Framework.Projections;

/// <summary>
/// A log reader's lag: the log's head, how many committed events it has not applied (<see cref="MoreBehind"/> when
/// there are more than were counted) and how long ago the oldest of them was committed.
/// </summary>
[GenerateSerializer, Immutable, Alias("cqrs.log-lag.v1")]
public sealed record LogLag(
    [property: Id(0)] long HeadPosition,
    [property: Id(1)] int EventsBehind,
    [property: Id(2)] bool MoreBehind,
    [property: Id(3)] TimeSpan OldestUnapplied);
