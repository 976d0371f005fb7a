using System.Text.Json;
using OrleansCqrs.Framework.EventStore;

namespace OrleansCqrs.Framework.Events;

/// <summary>Turns domain events into the store's JSON rows and back.</summary>
public sealed class EventSerializer(EventTypeRegistry registry)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public EventData Serialize(IDomainEvent domainEvent, EventMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        var type = domainEvent.GetType();
        return new EventData(
            registry.NameOf(type),
            JsonSerializer.Serialize(domainEvent, type, Json),
            JsonSerializer.Serialize(metadata, Json));
    }

    public EventEnvelope Deserialize(RecordedEvent recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        var domainEvent = (IDomainEvent?)JsonSerializer.Deserialize(recorded.Data, registry.TypeOf(recorded.Type), Json)
            ?? throw new InvalidOperationException($"Event {recorded.StreamId}@{recorded.Version} has no data.");
        var metadata = JsonSerializer.Deserialize<EventMetadata>(recorded.Metadata, Json)
            ?? throw new InvalidOperationException($"Event {recorded.StreamId}@{recorded.Version} has no metadata.");
        return new EventEnvelope(recorded.StreamId, recorded.Version, recorded.Position, domainEvent, metadata);
    }
}
