namespace OrleansCqrs.Framework.Projections.Healing;

/// <summary>
/// Where the healer is: its saved checkpoint, how far it has read the log, how many projections are unconfirmed, how
/// many catch-ups it has asked for since it was activated, the latest of them, and the lag of each kind of projection it
/// watches (every watched kind is listed, at zero when none of its projections is waiting).
/// </summary>
[GenerateSerializer, Immutable, Alias("cqrs.healer-status.v1")]
public sealed record HealerStatus(
    [property: Id(0)] long Checkpoint,
    [property: Id(1)] long ReadUpTo,
    [property: Id(2)] int Pending,
    [property: Id(3)] long Heals,
    [property: Id(4)] IReadOnlyList<ProjectionHeal> RecentHeals,
    [property: Id(5)] IReadOnlyList<StreamProjectionLag> Lags);
