using OrleansCqrs.Framework.Events;

namespace OrleansCqrs.Bank.Live;

/// <summary>
/// One read of the global log for a follower: the account events in it with their data (so the follower can fold
/// them itself), where the read ended, and how many entries it covered (a full page means more may be waiting).
/// </summary>
[GenerateSerializer, Immutable, Alias("bank.live.log-page.v1")]
public sealed record LogPage(
    [property: Id(0)] IReadOnlyList<EventEnvelope> AccountEvents,
    [property: Id(1)] long LastPosition,
    [property: Id(2)] int EntriesRead);
