namespace OrleansCqrs.Framework.Events;

/// <summary>
/// A committed event as published on an Orleans stream: its place in its stream and in the global log.
/// <paramref name="TraceParent"/> is the W3C trace context of the append that committed it, set only on the live
/// delivery path while tracing is on, so that the read model's update joins the command's trace. It is not part of the
/// stored event: an event read back from the store has none (docs/telemetry.md says why).
/// </summary>
[GenerateSerializer, Immutable, Alias("cqrs.event-envelope.v1")]
public sealed record EventEnvelope(
    [property: Id(0)] string StreamId,
    [property: Id(1)] long Version,
    [property: Id(2)] long Position,
    [property: Id(3)] IDomainEvent Event,
    [property: Id(4)] EventMetadata Metadata,
    [property: Id(5)] string? TraceParent = null);
