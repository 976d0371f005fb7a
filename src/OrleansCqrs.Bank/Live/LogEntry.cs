namespace OrleansCqrs.Bank.Live;

/// <summary>Where an event landed in the global log, without its data: enough to tell which read models changed.</summary>
[GenerateSerializer, Immutable, Alias("bank.live.log-entry.v1")]
public sealed record LogEntry(
    [property: Id(0)] string StreamId,
    [property: Id(1)] long Version,
    [property: Id(2)] long Position,
    [property: Id(3)] string Type);
