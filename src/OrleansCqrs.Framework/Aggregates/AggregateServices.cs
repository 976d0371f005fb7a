using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;

namespace OrleansCqrs.Framework.Aggregates;

/// <summary>What every aggregate grain needs from the container, in one constructor parameter.</summary>
public sealed class AggregateServices(
    IEventStore store,
    EventSerializer serializer,
    IOptions<AggregateOptions> options,
    TimeProvider time,
    ILogger<AggregateServices> logger)
{
    public IEventStore Store { get; } = store;

    public EventSerializer Serializer { get; } = serializer;

    public IOptions<AggregateOptions> Options { get; } = options;

    public TimeProvider Time { get; } = time;

    public ILogger Logger { get; } = logger;
}
