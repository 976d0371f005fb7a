using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Events;

namespace OrleansCqrs.Framework.Publishing;

/// <summary>Publishes on the Orleans stream provider named in <see cref="AggregateOptions.StreamProvider"/>; none: nothing.</summary>
public sealed class StreamEventPublisher(IServiceProvider services, IOptions<AggregateOptions> options) : IEventPublisher
{
    private readonly IStreamProvider? _provider = options.Value.StreamProvider is { } name
        ? services.GetRequiredKeyedService<IStreamProvider>(name)
        : null;

    public async Task PublishAsync(string streamNamespace, string key, IReadOnlyList<EventEnvelope> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (_provider is null)
        {
            return;
        }

        var stream = _provider.GetStream<EventEnvelope>(StreamId.Create(streamNamespace, key));
        foreach (var envelope in events)
        {
            await stream.OnNextAsync(envelope);
        }
    }
}
