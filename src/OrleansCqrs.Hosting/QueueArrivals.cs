using System.Buffers.Binary;
using System.Collections.Concurrent;
using Orleans.Streams;

namespace OrleansCqrs.Hosting;

/// <summary>
/// Tells this silo's stream pulling agents that an event reached their queue. Orleans' agents poll their queue grain
/// on a timer (every 5 ms here, for latency): four queues made a silo with nothing to do wake 800 times a second, and
/// the thread pool's wake-ups and spinning around those polls took a third of a core. With these signals an agent
/// whose last read found nothing waits for the next arrival (<see cref="ArrivalWaitingReceiver"/>) and reads at once
/// when it comes.
/// </summary>
/// <remarks>
/// Queue grains live with the agent that polls them (<see cref="StreamQueueGrainCalls"/>), so the enqueue that
/// signals runs on the agent's silo. While a queue grain has not yet followed its agent, the agent hears nothing and
/// reads after its wait runs out: later, never lost.
/// </remarks>
internal sealed class QueueArrivals
{
    private readonly ConcurrentDictionary<ulong, Arrivals> _queues = new();

    /// <summary>A queue's key, as the receiver of <paramref name="queue"/> knows it.</summary>
    public static ulong KeyOf(QueueId queue) => ((ulong)queue.GetUniformHashCode() << 32) | queue.GetNumericId();

    /// <summary>
    /// A queue's key, as its memory-stream queue grain knows it: Orleans keys the grain by a Guid whose last eight
    /// bytes are the queue's uniform hash code and number (<c>MemoryAdapterFactory.GenerateDeterministicGuid</c>).
    /// </summary>
    public static ulong KeyOf(GrainId queueGrain)
    {
        Span<byte> bytes = stackalloc byte[16];
        queueGrain.GetGuidKey().TryWriteBytes(bytes);
        return ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(bytes[12..]);
    }

    public Arrivals Of(ulong queue) => _queues.GetOrAdd(queue, static _ => new Arrivals());

    public void Arrived(ulong queue) => Of(queue).Arrived();
}

/// <summary>The arrivals at one queue: a count, and whoever waits for the next.</summary>
internal sealed class Arrivals
{
    private readonly Lock _lock = new();
    private long _count;
    private TaskCompletionSource? _next;

    /// <summary>How many events have arrived so far; a reader notes it before it reads.</summary>
    public long Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    public void Arrived()
    {
        TaskCompletionSource? next;
        lock (_lock)
        {
            _count++;
            next = _next;
            _next = null;
        }

        next?.TrySetResult();
    }

    /// <summary>
    /// Completes when an event has arrived after the reader noted <paramref name="seen"/> (at once if one already
    /// has), when <paramref name="timeout"/> has passed, or when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task WaitAsync(long seen, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task next;
        lock (_lock)
        {
            if (_count != seen)
            {
                return;
            }

            _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            next = _next.Task;
        }

        // Continues on the agent's scheduler; a timeout or a cancellation just ends the wait.
        await next.WaitAsync(timeout, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing);
    }
}
