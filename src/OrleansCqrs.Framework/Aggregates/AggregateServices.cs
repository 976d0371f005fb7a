using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.Publishing;

namespace OrleansCqrs.Framework.Aggregates;

/// <summary>What every aggregate grain needs from the container, in one constructor parameter.</summary>
public sealed class AggregateServices(
    IEventStore store,
    EventSerializer serializer,
    IEventPublisher publisher,
    IOptions<AggregateOptions> options,
    TimeProvider time,
    ILogger<AggregateServices> logger)
{
    public IEventStore Store { get; } = store;

    public EventSerializer Serializer { get; } = serializer;

    public IEventPublisher Publisher { get; } = publisher;

    public IOptions<AggregateOptions> Options { get; } = options;

    public TimeProvider Time { get; } = time;

    public ILogger Logger { get; } = logger;
}
