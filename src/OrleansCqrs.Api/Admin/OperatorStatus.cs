namespace OrleansCqrs.Api.Admin;

/// <summary>
/// What an operator watches, in one answer: the cluster's silos and roles, how far behind the log each read model
/// is, and what the healer has been doing. <see cref="Position"/> is the log's head when it was measured. A part that
/// could not be measured (its silos are down, its store does not answer) is left out, null or empty, and named in
/// <see cref="Problems"/>.
/// </summary>
public sealed record OperatorStatus(
    DateTimeOffset At,
    long? Position,
    IReadOnlyList<SiloState> Silos,
    IReadOnlyList<ReadModelLag> ReadModels,
    HealerActivity? Healer,
    IReadOnlyList<string> Problems);

/// <summary>A silo; <see cref="Role"/> is null while its role has not reached the silo that answered.</summary>
public sealed record SiloState(string Name, string Address, string? Role, string Status, DateTimeOffset StartedAt, DateTimeOffset LastAliveAt);

/// <summary>
/// A read model's lag. Kind <c>log</c> (a reader of the global log): the events after its position, counted up to a
/// thousand (<see cref="MoreBehind"/> beyond), and the age of the oldest. Kind <c>stream</c> (one projection per
/// stream): the projections that have not yet confirmed every event to the healer (<see cref="Waiting"/>), the events
/// they miss, and how long the oldest has waited, confirmation delay included.
/// </summary>
public sealed record ReadModelLag(string Name, string Kind, long EventsBehind, bool MoreBehind, long MillisecondsBehind, int? Waiting, string? Stuck);

/// <summary>The healer: its checkpoint, how far it has read, projections unconfirmed, catch-ups asked since it started, and the latest.</summary>
public sealed record HealerActivity(long Checkpoint, long ReadUpTo, int Pending, long Heals, IReadOnlyList<HealDone> RecentHeals);

/// <summary>One catch-up the healer asked for: of which projection (grain type and key), up to which version, reached which.</summary>
public sealed record HealDone(string Projection, string Key, long ExpectedVersion, long ReachedVersion, DateTimeOffset At);
