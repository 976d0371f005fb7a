namespace OrleansCqrs.Framework.Projections.Healing;

/// <summary>
/// How far one kind of stream projection is behind the log, as the healer sees it: the projections that have not
/// confirmed every event of their stream yet, the events they are missing in all, and how long the oldest of them has
/// been waiting. A projection confirms through its silo's next progress push, so even a projection that applied at once
/// shows here for up to <see cref="HealingOptions.TailEvery"/> + <see cref="HealingOptions.PushEvery"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("cqrs.stream-projection-lag.v1")]
public sealed record StreamProjectionLag(
    [property: Id(0)] string Projection,
    [property: Id(1)] int Pending,
    [property: Id(2)] long EventsBehind,
    [property: Id(3)] TimeSpan OldestWaiting);
