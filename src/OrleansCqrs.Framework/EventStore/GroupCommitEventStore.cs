using System.Diagnostics;
using OrleansCqrs.Framework.Telemetry;

namespace OrleansCqrs.Framework.EventStore;

/// <summary>
/// Gathers concurrent appends into one transaction per batch: a single writer takes everything queued while the
/// previous batch was committing. At low load an append goes alone at once; under load one commit (one round trip,
/// one fsync) serves hundreds of appends. Each append keeps its own expected-version check and its own result.
/// </summary>
/// <remarks>
/// The writer is a dedicated thread making synchronous database calls: under load the thread pool is busy with the
/// callers' work, and a writer whose every continuation waited in that queue would stretch each commit cycle, which
/// every append in the next batch pays for.
/// </remarks>
public abstract class GroupCommitEventStore : IEventStore, IAsyncDisposable
{
    // One writer per queue, chosen by stream: all appends to a stream go through one writer, in the order queued.
    private readonly Writer[] _writers;
    private readonly GroupCommitOptions _options;
    private readonly KeyValuePair<string, object?> _storeTag;
    private readonly Timer _deadlines;

    protected GroupCommitEventStore(GroupCommitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        // The backend's name in metrics and spans: PostgresEventStore is "postgres".
        _storeTag = new KeyValuePair<string, object?>("store", GetType().Name.Replace("EventStore", "", StringComparison.Ordinal).ToLowerInvariant());
        _writers = Enumerable.Range(0, Math.Max(1, options.Writers)).Select(_ => new Writer()).ToArray();
        for (var i = 0; i < _writers.Length; i++)
        {
            var writer = _writers[i];
            writer.Thread = new Thread(() => WriteLoop(writer)) { IsBackground = true, Name = $"{GetType().Name} writer {i + 1}" };
            writer.Thread.Start();
        }

        var sweep = TimeSpan.FromTicks(Math.Clamp(options.AppendTimeout.Ticks / 4, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond));
        _deadlines = new Timer(_ => FailOverdueAppends(), null, sweep, sweep);
    }

    private long _batchesStarted;

    /// <summary>How many batches the writers have started (tests that need the writer to be at work).</summary>
    internal long BatchesStarted => Interlocked.Read(ref _batchesStarted);

    /// <summary>Whether a writer thread is still running (tests of shutdown).</summary>
    internal bool AnyWriterAlive => _writers.Any(writer => writer.Thread.IsAlive);

    public Task<AppendResult> AppendAsync(AppendRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var pending = new PendingAppend(request);
        var writer = _writers.Length == 1 ? _writers[0] : _writers[(int)((uint)StringComparer.Ordinal.GetHashCode(request.StreamId) % (uint)_writers.Length)];
        ObjectDisposedException.ThrowIf(!writer.Queue.TryAdd(pending), this);

        // Cancelling stops the wait, not the write: once queued, an append is committed or failed as a whole. Its
        // deadline is kept by FailOverdueAppends, not by a timer of its own.
        return cancellationToken.CanBeCanceled ? pending.Task.WaitAsync(cancellationToken) : pending.Task;
    }

    /// <summary>
    /// Fails every append that has waited longer than <see cref="GroupCommitOptions.AppendTimeout"/> for its writer's
    /// answer: a writer that hangs (a connection that never answers) or whose thread was lost must not hang the
    /// aggregates behind it. The append may still land after the deadline, like any append whose commit was not
    /// confirmed: a retry with the same command id tells which. One sweep for the store, a few times per deadline,
    /// rather than a timer per append: thousands of appends a second each arming and disarming a timer contended on
    /// the runtime's timer lock for about 7% of a loaded silo's time.
    /// </summary>
    private void FailOverdueAppends()
    {
        try
        {
            var now = Stopwatch.GetTimestamp();
            foreach (var writer in _writers)
            {
                // Queued before anything in the queue: the batch in hand goes first. It may still be written: its
                // caller is told so.
                foreach (var append in Volatile.Read(ref writer.InHand))
                {
                    if (!append.IsCompleted && IsOverdue(append, now))
                    {
                        append.Fail(Overdue());
                    }
                }

                // The queue is in the order queued: past the first append not yet overdue, none is.
                foreach (var append in writer.Queue.Items)
                {
                    if (!IsOverdue(append, now))
                    {
                        break; // The rest were queued later.
                    }

                    // Only while no writer has taken it: then it is never written.
                    append.TryFailInQueue(Overdue());
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A timer callback that throws ends the process; the next sweep tries again.
        }
    }

    private bool IsOverdue(PendingAppend append, long now) => Stopwatch.GetElapsedTime(append.QueuedAt, now) > _options.AppendTimeout;

    private EventStoreUnavailableException Overdue() =>
        new($"The event store's writer did not answer within {_options.AppendTimeout.TotalSeconds:0.#} s; the append may or may not have been committed.");

    public abstract Task<AppendResult?> FindCommandAsync(string streamId, Guid commandId, CancellationToken cancellationToken = default);

    public abstract Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, long fromVersion, int maxCount, CancellationToken cancellationToken = default);

    public abstract Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default);

    public abstract Task<long> GetHeadPositionAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the batch in one transaction and completes every append in it, after the commit. Appends of one batch
    /// are on distinct streams. With several writers, batches run concurrently: each append's checks must be made
    /// after the batches committed before it (PostgreSQL: appends of one stream share a writer, and a second activation's
    /// concurrent append meets the unique stream-version index). An implementation that cannot tell which append broke a transaction fails none of them
    /// blindly: it calls <see cref="WriteOneByOne"/>.
    /// </summary>
    protected abstract void WriteBatch(IReadOnlyList<PendingAppend> batch);

    /// <summary>Completes each append of a committed batch with its result or its own failure.</summary>
    protected static void Complete(IEnumerable<(PendingAppend Append, AppendResult? Result, Exception? Failure)> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        foreach (var (append, result, failure) in outcomes)
        {
            if (result is not null)
            {
                append.Succeed(result);
            }
            else
            {
                append.Fail(failure!);
            }
        }
    }

    protected void WriteOneByOne(IReadOnlyList<PendingAppend> batch)
    {
        foreach (var append in batch)
        {
            try
            {
                WriteBatch([append]);
            }
            catch (Exception ex)
            {
                append.Fail(ex);
            }
        }
    }

    private void WriteLoop(Writer writer)
    {
        var queue = writer.Queue;
        var batch = new List<PendingAppend>(_options.MaxBatchSize);
        var streams = new HashSet<string>(StringComparer.Ordinal);
        var deferred = new Queue<PendingAppend>();
        while (true)
        {
            try
            {
                if (!WriteNextBatch(writer, batch, streams, deferred))
                {
                    return; // Completed and drained.
                }
            }
            catch (Exception ex)
            {
                // Whatever went wrong outside a write (a bug here, a queue disposed under it), the thread lives on:
                // the appends in hand fail (the store is unavailable to them) and the next ones are written.
                var failure = new EventStoreUnavailableException("The event store's writer failed; the append may or may not have been committed.", ex);
                foreach (var append in batch.Concat(deferred))
                {
                    append.Fail(failure);
                }

                batch.Clear();
                streams.Clear();
                deferred.Clear();
                Volatile.Write(ref writer.InHand, []);
                if (queue.IsCompleted && ex is ObjectDisposedException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Takes one batch from the queue and writes it; false once the queue is completed and drained.</summary>
    private bool WriteNextBatch(Writer writer, List<PendingAppend> batch, HashSet<string> streams, Queue<PendingAppend> deferred)
    {
        var queue = writer.Queue;
        var events = 0;
        // Appends deferred from the last batch go first, so an append never overtakes one queued before it.
        var carried = deferred.Count;
        for (var i = 0; i < carried; i++)
        {
            Take(deferred.Dequeue()); // Taken already, when it was first dequeued.
        }

        if (batch.Count == 0)
        {
            if (!queue.Take(out var first))
            {
                return false;
            }

            TakeQueued(first);
        }

        while (batch.Count < _options.MaxBatchSize && events < _options.MaxBatchEvents && queue.TryTake(out var next))
        {
            TakeQueued(next);
        }

        // What the deadline sweep sees of this writer's appends while it writes (the deferred ones wait on this batch too).
        Volatile.Write(ref writer.InHand, [.. batch, .. deferred]);
        WriteAndComplete(batch);
        Volatile.Write(ref writer.InHand, []);
        batch.Clear();
        streams.Clear();
        return true;

        void TakeQueued(PendingAppend append)
        {
            if (append.TryTake())
            {
                Take(append);
            }

            // Otherwise it failed at its deadline while queued: its caller was told, so it is not written.
        }

        void Take(PendingAppend append)
        {
            if (append.IsCompleted)
            {
                return; // Deferred, then failed at its deadline in hand: its caller was told; better not written.
            }

            // Two appends to one stream in one batch would both be checked against the version before the batch;
            // the second waits for the next batch, where it sees the first.
            if (streams.Add(append.Request.StreamId))
            {
                batch.Add(append);
                events += append.Request.Events.Count;
            }
            else
            {
                deferred.Enqueue(append);
            }
        }
    }

    private void WriteAndComplete(List<PendingAppend> batch)
    {
        Interlocked.Increment(ref _batchesStarted);
        var started = Stopwatch.GetTimestamp();
        using var commit = StartCommit(batch);
        try
        {
            WriteBatch(batch);
        }
        catch (Exception ex)
        {
            CqrsTelemetry.Fail(commit, ex);
            foreach (var append in batch)
            {
                append.Fail(ex);
            }
        }

        CqrsMetrics.BatchSize.Record(batch.Count, _storeTag);
        CqrsMetrics.CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, _storeTag);

        // An implementation that forgot an append must not leave its caller waiting for the deadline.
        foreach (var append in batch.Where(a => !a.IsCompleted))
        {
            append.Fail(new InvalidOperationException($"{GetType().Name} reported no outcome for an append to '{append.Request.StreamId}'."));
        }
    }

    /// <summary>
    /// The span of one batch's transaction. A batch serves many commands, so it is a trace of its own that links to each
    /// append's span rather than a child of one of them; the database commands it runs are its children.
    /// </summary>
    private Activity? StartCommit(List<PendingAppend> batch)
    {
        if (!CqrsTelemetry.Source.HasListeners())
        {
            return null;
        }

        var links = new List<ActivityLink>(batch.Count);
        foreach (var append in batch)
        {
            if (append.Caller != default)
            {
                links.Add(new ActivityLink(append.Caller));
            }
        }

        // A root: the writer thread has no ambient span, and none of the batch's callers is the parent of the others'.
        var commit = CqrsTelemetry.Source.StartActivity(ActivityKind.Internal, parentContext: default, links: links, name: CqrsTelemetry.CommitSpan);
        if (commit is { IsAllDataRequested: true })
        {
            commit.SetTag("orleanscqrs.store", _storeTag.Value);
            commit.SetTag("orleanscqrs.batch.appends", batch.Count);
        }

        return commit;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var writer in _writers)
        {
            writer.Queue.Complete();
        }

        // Let the writers finish what was queued; a writer stuck on a dead database gives up at its command timeout.
        var stopped = await Task.Run(() => _writers.All(writer => writer.Thread.Join(_options.ShutdownTimeout)));
        if (!stopped)
        {
            // A writer still runs: what it has not taken yet fails now rather than never, and its queue is left to
            // the garbage collector (disposing it under the writer would throw on that thread and end the process).
            var failure = new EventStoreUnavailableException("The event store was shut down before this append was written.");
            foreach (var writer in _writers)
            {
                while (writer.Queue.TryTake(out var append))
                {
                    append.Fail(failure);
                }
            }
        }

        await _deadlines.DisposeAsync();
        await ReleaseResourcesAsync();
        if (stopped)
        {
            foreach (var writer in _writers)
            {
                writer.Queue.Dispose();
            }
        }

        GC.SuppressFinalize(this);
    }

    protected virtual ValueTask ReleaseResourcesAsync() => ValueTask.CompletedTask;

    /// <summary>A writer thread, its queue, and the appends it holds while it writes a batch.</summary>
    private sealed class Writer
    {
        public AppendQueue Queue { get; } = new();

        public Thread Thread { get; set; } = null!;

        /// <summary>The appends of the batch being written and those deferred behind it; empty between batches.</summary>
        public PendingAppend[] InHand = [];
    }
}
