namespace OrleansCqrs.Framework.Roles;

/// <summary>
/// One silo: its name, address, published role (null while its metadata has not reached the silo that answered),
/// membership status (<c>active</c>, <c>joining</c>, <c>shutting-down</c>, <c>dead</c>…), start and last heartbeat.
/// </summary>
[GenerateSerializer, Immutable, Alias("cqrs.silo-summary.v1")]
public sealed record SiloSummary(
    [property: Id(0)] string Name,
    [property: Id(1)] string Address,
    [property: Id(2)] SiloRole? Role,
    [property: Id(3)] string Status,
    [property: Id(4)] DateTimeOffset StartedAt,
    [property: Id(5)] DateTimeOffset LastAliveAt);
