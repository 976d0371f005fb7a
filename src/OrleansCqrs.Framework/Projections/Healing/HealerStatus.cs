namespace OrleansCqrs.Framework.Projections.Healing;

/// <summary>
/// Where the healer is: its saved checkpoint, how far it has read the log, how many projections are unconfirmed, how
/// many catch-ups it has asked for since it was activated, and the latest of them.
/// </summary>
[GenerateSerializer, Immutable, Alias("cqrs.healer-status.v1")]
public sealed record HealerStatus(
    [property: Id(0)] long Checkpoint,
    [property: Id(1)] long ReadUpTo,
    [property: Id(2)] int Pending,
    [property: Id(3)] long Heals,
    [property: Id(4)] IReadOnlyList<ProjectionHeal> RecentHeals);
