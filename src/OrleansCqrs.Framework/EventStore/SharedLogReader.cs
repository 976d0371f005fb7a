namespace OrleansCqrs.Framework.EventStore;

/// <summary>
/// Reads of the global log shared by every reader in a process. The ledger's shards and the healer each poll the
/// log's tail on their own timers; reading the store for each of them cost a quarter of the command throughput (every
/// committed event read from the database five times). This keeps the most recent events read as one run of the log
/// known to be complete: a read that starts inside the run is answered from memory, and a read that reaches the end
/// of the run reads the store once for every caller that arrives before that read starts. A reader before the run (a
/// rebuild from the start) reads the store directly and leaves the run alone.
/// <para>
/// It relies on <see cref="IEventStore.ReadAllAsync"/>'s promise that a read never skips a committed event: the events a
/// read returned after position P are the whole log between P and the last of them. A read never answers from a
/// store read that started before it was called, so a reader sees every event committed before its call, as with the
/// store itself.
/// </para>
/// </summary>
/// <param name="store">The store the reads go to.</param>
/// <param name="capacity">How many recent events are kept; 0 shares nothing (every reader reads the store itself).</param>
public sealed class SharedLogReader(IEventStore store, int capacity = SharedLogReader.DefaultCapacity)
{
    public const int DefaultCapacity = 20_000;

    private readonly Lock _lock = new();

    // The run: every event of the log with a position in (_start, _events[^1].Position], in order.
    private readonly List<RecordedEvent> _events = [];
    private long _start = -1;
    private TailRead? _tail;
    private long _tailReadsStarted;

    /// <summary>Reads of the store made for the run's tail, however many callers each served (for tests).</summary>
    public long TailReads => Interlocked.Read(ref _tailReadsStarted);

    /// <summary>The same contract as <see cref="IEventStore.ReadAllAsync"/>.</summary>
    public async Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        if (capacity == 0)
        {
            return await store.ReadAllAsync(afterPosition, maxCount, cancellationToken);
        }

        var readsBeforeCall = TailReads;
        while (true)
        {
            TailRead tail;
            lock (_lock)
            {
                if (_start < 0 || afterPosition > End)
                {
                    // No run yet, or this reader is ahead of it: the run restarts here (readers keeping up with the
                    // log matter; one far behind reads the store until it reaches the run).
                    if (_tail is null)
                    {
                        _events.Clear();
                        _start = afterPosition;
                    }
                }

                if (afterPosition < _start || afterPosition > End)
                {
                    tail = null!;
                }
                else
                {
                    var cached = Slice(afterPosition, maxCount);
                    if (cached.Count == maxCount || (_tail is null && _tailReadsStarted > readsBeforeCall))
                    {
                        return cached;
                    }

                    tail = _tail ??= StartTailRead(maxCount);
                }
            }

            if (tail is null)
            {
                return await store.ReadAllAsync(afterPosition, maxCount, cancellationToken);
            }

            // A tail read started before this call may miss what was committed just before it: wait it out and read again.
            await tail.Task.WaitAsync(cancellationToken);
            if (tail.Number > readsBeforeCall)
            {
                lock (_lock)
                {
                    if (afterPosition >= _start && afterPosition <= End)
                    {
                        return Slice(afterPosition, maxCount);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Hands every event after <paramref name="afterPosition"/> to <paramref name="visit"/> in log order, a page of
    /// <paramref name="pageSize"/> at a time, until the end of the log or until <paramref name="mayGoOn"/> (asked
    /// before each page) says stop. Returns the position of the last event handed over, or
    /// <paramref name="afterPosition"/> for none: where the next call starts.
    /// </summary>
    public async Task<long> FollowAsync(long afterPosition, int pageSize, Action<RecordedEvent> visit, Func<bool> mayGoOn)
    {
        ArgumentNullException.ThrowIfNull(visit);
        ArgumentNullException.ThrowIfNull(mayGoOn);
        while (mayGoOn())
        {
            var page = await ReadAllAsync(afterPosition, pageSize);
            foreach (var recorded in page)
            {
                visit(recorded);
            }

            if (page.Count > 0)
            {
                afterPosition = page[^1].Position;
            }

            if (page.Count < pageSize)
            {
                break;
            }
        }

        return afterPosition;
    }

    private long End => _events.Count > 0 ? _events[^1].Position : _start;

    private List<RecordedEvent> Slice(long afterPosition, int maxCount)
    {
        var first = FirstAfter(afterPosition);
        return _events.GetRange(first, Math.Min(maxCount, _events.Count - first));
    }

    private int FirstAfter(long position)
    {
        int low = 0, high = _events.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_events[middle].Position <= position)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private TailRead StartTailRead(int maxCount)
    {
        var number = Interlocked.Increment(ref _tailReadsStarted);
        var after = End;
        var read = new TailRead(number);
        // On the thread pool, never on the caller's scheduler: a read started from a grain would otherwise continue
        // on that activation's scheduler, and if it is deactivated meanwhile every reader waiting for it hangs.
        read.Task = Task.Run(() => ExtendAsync(after, maxCount));
        return read;
    }

    private async Task ExtendAsync(long after, int maxCount)
    {
        try
        {
            var page = await store.ReadAllAsync(after, maxCount);
            lock (_lock)
            {
                if (End == after)
                {
                    _events.AddRange(page);
                    Trim();
                }
            }
        }
        finally
        {
            lock (_lock)
            {
                _tail = null;
            }
        }
    }

    private void Trim()
    {
        // Dropped in chunks so the copy is paid once per quarter of the capacity.
        var excess = _events.Count - capacity;
        if (excess > capacity / 4)
        {
            _start = _events[excess - 1].Position;
            _events.RemoveRange(0, excess);
        }
    }

    private sealed class TailRead(long number)
    {
        public long Number { get; } = number;

        public Task Task { get; set; } = Task.CompletedTask;
    }
}
