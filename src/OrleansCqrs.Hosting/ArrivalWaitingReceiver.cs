using Orleans.Streams;

namespace OrleansCqrs.Hosting;

/// <summary>
/// A queue receiver that, after a read found the queue empty, waits for the next event to arrive
/// (<see cref="QueueArrivals"/>) or for <see cref="SiloSetup.StreamQueueIdleWait"/> before it reads again. A read
/// that found events is followed by the next read at once, as Orleans' agent does (it keeps reading until a read
/// finds nothing).
/// </summary>
internal sealed class ArrivalWaitingReceiver(IQueueAdapterReceiver inner, Arrivals arrivals) : IQueueAdapterReceiver
{
    private bool _lastReadEmpty;
    private long _seen;

    public Task Initialize(TimeSpan timeout) => inner.Initialize(timeout, CancellationToken.None);

    public Task Initialize(TimeSpan timeout, CancellationToken cancellationToken) => inner.Initialize(timeout, cancellationToken);

    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        if (_lastReadEmpty)
        {
            await arrivals.WaitAsync(_seen, SiloSetup.StreamQueueIdleWait, cancellationToken);
            if (cancellationToken.IsCancellationRequested)
            {
                // The agent is stopping (its timer was disposed): it reads nothing more.
                return [];
            }
        }

        // Noted before the read: whatever arrives after this point wakes the next wait, even if this read got it.
        _seen = arrivals.Count;
        var messages = await inner.GetQueueMessagesAsync(maxCount, cancellationToken);
        _lastReadEmpty = messages.Count == 0;
        return messages;
    }

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => inner.MessagesDeliveredAsync(messages, CancellationToken.None);

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken) => inner.MessagesDeliveredAsync(messages, cancellationToken);

    public Task Shutdown(TimeSpan timeout) => inner.Shutdown(timeout, CancellationToken.None);

    public Task Shutdown(TimeSpan timeout, CancellationToken cancellationToken) => inner.Shutdown(timeout, cancellationToken);
}
