namespace OrleansCqrs.Framework.Events;

/// <summary>A committed event as published on an Orleans stream: its place in its stream and in the global log.</summary>
[GenerateSerializer, Immutable, Alias("cqrs.event-envelope.v1")]
public sealed record EventEnvelope(
    [property: Id(0)] string StreamId,
    [property: Id(1)] long Version,
    [property: Id(2)] long Position,
    [property: Id(3)] IDomainEvent Event,
    [property: Id(4)] EventMetadata Metadata);
