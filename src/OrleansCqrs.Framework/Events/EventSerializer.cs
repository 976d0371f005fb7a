using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansCqrs.Framework.EventStore;

namespace OrleansCqrs.Framework.Events;

/// <summary>
/// Turns domain events into the store's JSON rows and back. Every read path (aggregate load, projection catch-up,
/// healing, rebuilds, statements, the live feed) reads through <see cref="Deserialize"/>, so an event stored under
/// an older name or version is upcast to today's type wherever it is read.
/// </summary>
public sealed class EventSerializer(EventTypeRegistry registry)
{
    public EventData Serialize(IDomainEvent domainEvent, EventMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        var type = domainEvent.GetType();
        return new EventData(
            registry.NameOf(type),
            JsonSerializer.Serialize(domainEvent, type, EventJson.Options),
            JsonSerializer.Serialize(metadata, EventJson.Options));
    }

    public EventEnvelope Deserialize(RecordedEvent recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        var chain = registry.Resolve(recorded);
        var domainEvent = (IDomainEvent?)(chain.Upcasts.Count == 0
                ? JsonSerializer.Deserialize(recorded.Data, chain.Type, EventJson.Options)
                : Upcast(recorded, chain).Deserialize(chain.Type, EventJson.Options))
            ?? throw new InvalidOperationException($"Event {recorded.StreamId}@{recorded.Version} has no data.");
        var metadata = JsonSerializer.Deserialize<EventMetadata>(recorded.Metadata, EventJson.Options)
            ?? throw new InvalidOperationException($"Event {recorded.StreamId}@{recorded.Version} has no metadata.");
        return new EventEnvelope(recorded.StreamId, recorded.Version, recorded.Position, domainEvent, metadata);
    }

    private static JsonObject Upcast(RecordedEvent recorded, UpcastChain chain)
    {
        var data = JsonNode.Parse(recorded.Data) as JsonObject
            ?? throw new InvalidOperationException($"Event {recorded.StreamId}@{recorded.Version} ('{recorded.Type}') is not a JSON object, so it cannot be upcast.");
        foreach (var upcast in chain.Upcasts)
        {
            data = upcast(data);
        }

        return data;
    }
}
