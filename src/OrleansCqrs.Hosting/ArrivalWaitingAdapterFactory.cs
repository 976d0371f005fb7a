using Microsoft.Extensions.DependencyInjection;
using Orleans.Providers;
using Orleans.Streams;

namespace OrleansCqrs.Hosting;

/// <summary>
/// Orleans' memory-stream adapter with receivers that wait for arrivals instead of polling an empty queue
/// (<see cref="ArrivalWaitingReceiver"/>); everything else is the memory adapter's own.
/// </summary>
internal sealed class ArrivalWaitingAdapterFactory(IQueueAdapterFactory inner, QueueArrivals arrivals) : IQueueAdapterFactory, IQueueAdapter
{
    private IQueueAdapter? _adapter;

    public static ArrivalWaitingAdapterFactory Create(IServiceProvider services, string name) => new(
        MemoryAdapterFactory<DefaultMemoryMessageBodySerializer>.Create(services, name),
        services.GetRequiredService<QueueArrivals>());

    private IQueueAdapter Adapter => _adapter ?? throw new InvalidOperationException("The adapter has not been created yet.");

    public Task<IQueueAdapter> CreateAdapter() => CreateAdapter(CancellationToken.None);

    public async Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken)
    {
        _adapter = await inner.CreateAdapter(cancellationToken);
        return this;
    }

    public IQueueAdapterCache GetQueueAdapterCache() => inner.GetQueueAdapterCache();

    public IStreamQueueMapper GetStreamQueueMapper() => inner.GetStreamQueueMapper();

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) => inner.GetDeliveryFailureHandler(queueId);

    public string Name => Adapter.Name;

    public bool IsRewindable => Adapter.IsRewindable;

    public StreamProviderDirection Direction => Adapter.Direction;

    public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext) =>
        Adapter.QueueMessageBatchAsync(streamId, events, token, requestContext);

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) =>
        new ArrivalWaitingReceiver(Adapter.CreateReceiver(queueId), arrivals.Of(QueueArrivals.KeyOf(queueId)));
}
