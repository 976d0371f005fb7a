using OrleansCqrs.Framework.Events;

namespace OrleansCqrs.Framework.Live;

/// <summary>
/// One read of the global log for a follower: the events in it of the streams asked for, with their data (so the
/// follower can fold them itself), where the read ended, and how many entries it covered (a full page means more may
/// be waiting).
/// </summary>
[GenerateSerializer, Immutable, Alias("cqrs.live.log-page.v1")]
public sealed record LogPage(
    [property: Id(0)] IReadOnlyList<EventEnvelope> Events,
    [property: Id(1)] long LastPosition,
    [property: Id(2)] int EntriesRead);
