using System.Collections.Concurrent;

namespace OrleansCqrs.Framework.EventStore;

/// <summary>
/// The appends waiting for one writer thread. Callers add without taking a lock; the writer takes them in the order
/// added and sleeps only when the queue is empty, and only then does an add wake it. (A <c>BlockingCollection</c>
/// takes a lock on every add and every take: under load the callers and the writer contended on it for about 1.5%
/// of a silo's profile.)
/// </summary>
internal sealed class AppendQueue : IDisposable
{
    private readonly ConcurrentQueue<PendingAppend> _items = new();
    private readonly SemaphoreSlim _wake = new(0);

    // 1 while the writer is going to sleep or asleep: the one add that turns it back to 0 wakes the writer.
    private int _sleeping;
    private volatile bool _completed;

    /// <summary>What is queued, in the order added: a moment's copy to read, never to take from.</summary>
    public IEnumerable<PendingAppend> Items => _items;

    public bool IsCompleted => _completed;

    /// <summary>Whether the writer is asleep, or about to be, waiting for an add (tests).</summary>
    internal bool WriterSleeps => Volatile.Read(ref _sleeping) == 1;

    /// <summary>Queues <paramref name="append"/>; false once <see cref="Complete"/> was called.</summary>
    public bool TryAdd(PendingAppend append)
    {
        if (_completed)
        {
            return false;
        }

        _items.Enqueue(append);
        if (Volatile.Read(ref _sleeping) == 1 && Interlocked.Exchange(ref _sleeping, 0) == 1)
        {
            _wake.Release();
        }

        if (_completed)
        {
            // Completed while this was being added: the writer may have drained the queue already, so its caller is told
            // now. A writer that did take it in time may have written it, hence "may or may not".
            append.Fail(new EventStoreUnavailableException("The event store was shut down as this append was queued; it may or may not have been committed."));
        }

        return true;
    }

    /// <summary>Takes the oldest append without waiting.</summary>
    public bool TryTake(out PendingAppend append) => _items.TryDequeue(out append!);

    /// <summary>The writer's wait: the oldest append, waiting for one if need be; false once completed and drained.</summary>
    public bool Take(out PendingAppend append)
    {
        while (true)
        {
            if (_items.TryDequeue(out append!))
            {
                return true;
            }

            if (_completed)
            {
                return _items.TryDequeue(out append!);
            }

            Interlocked.Exchange(ref _sleeping, 1);
            if (!_items.IsEmpty || _completed)
            {
                // Something came in meanwhile: stay awake. If an add already claimed the wake-up, take its release so
                // that the semaphore stays at zero.
                if (Interlocked.Exchange(ref _sleeping, 0) == 0)
                {
                    _wake.Wait();
                }

                continue;
            }

            _wake.Wait();
        }
    }

    /// <summary>No more adds; the writer drains what is queued and then gets false from <see cref="Take"/>.</summary>
    public void Complete()
    {
        _completed = true;
        if (Interlocked.Exchange(ref _sleeping, 0) == 1)
        {
            _wake.Release();
        }
    }

    public void Dispose() => _wake.Dispose();
}
