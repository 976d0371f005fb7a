namespace OrleansCqrs.Framework.Events;

/// <summary>What is known of an event besides its data: the command that caused it and when it was recorded.</summary>
[GenerateSerializer, Immutable, Alias("cqrs.event-metadata.v1")]
public sealed record EventMetadata(
    [property: Id(0)] Guid CommandId,
    [property: Id(1)] DateTimeOffset Timestamp,
    [property: Id(2)] Guid? CorrelationId = null);
