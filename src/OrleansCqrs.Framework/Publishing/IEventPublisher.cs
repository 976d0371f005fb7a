using OrleansCqrs.Framework.Events;

namespace OrleansCqrs.Framework.Publishing;

/// <summary>Hands committed events to the projections' fast path (Orleans streams); the store stays the truth.</summary>
public interface IEventPublisher
{
    /// <summary>Publishes <paramref name="events"/>, in order, on the stream of aggregate <paramref name="key"/>.</summary>
    Task PublishAsync(string streamNamespace, string key, IReadOnlyList<EventEnvelope> events);
}
