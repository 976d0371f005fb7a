using System.Text.Json.Serialization;
using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Framework.Events;

/// <summary>
/// What is known of an event besides its data: the command that caused it, when it was recorded and who sent it (the
/// audit trail; null for events of trusted in-cluster callers and for events recorded before actors existed).
/// </summary>
[GenerateSerializer, Immutable, Alias("cqrs.event-metadata.v1"), JsonConverter(typeof(EventMetadataJson))]
public sealed record EventMetadata(
    [property: Id(0)] Guid CommandId,
    [property: Id(1)] DateTimeOffset Timestamp,
    [property: Id(2)] Guid? CorrelationId = null,
    [property: Id(3)] Actor? Actor = null);
