using System.Collections.Concurrent;

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
    // One queue per writer, chosen by stream: all appends to a stream go through one writer, in the order queued.
    private readonly BlockingCollection<PendingAppend>[] _queues;
    private readonly GroupCommitOptions _options;
    private readonly Thread[] _writers;

    protected GroupCommitEventStore(GroupCommitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        var writers = Math.Max(1, options.Writers);
        _queues = Enumerable.Range(0, writers).Select(_ => new BlockingCollection<PendingAppend>(new ConcurrentQueue<PendingAppend>())).ToArray();
        _writers = _queues
            .Select((queue, i) => new Thread(() => WriteLoop(queue)) { IsBackground = true, Name = $"{GetType().Name} writer {i + 1}" })
            .ToArray();
        foreach (var writer in _writers)
        {
            writer.Start();
        }
    }

    public Task<AppendResult> AppendAsync(AppendRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var pending = new PendingAppend(request);
        var queue = _queues.Length == 1 ? _queues[0] : _queues[(int)((uint)StringComparer.Ordinal.GetHashCode(request.StreamId) % (uint)_queues.Length)];
        try
        {
            queue.Add(pending, CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            throw new ObjectDisposedException(GetType().Name);
        }

        // Cancelling stops the wait, not the write: once queued, an append is committed or failed as a whole.
        return pending.Task.WaitAsync(cancellationToken);
    }

    public abstract Task<AppendResult?> FindCommandAsync(string streamId, Guid commandId, CancellationToken cancellationToken = default);

    public abstract Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, long fromVersion, int maxCount, CancellationToken cancellationToken = default);

    public abstract Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default);

    public abstract Task<long> GetHeadPositionAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the batch in one transaction and completes every append in it, after the commit. Appends of one batch
    /// are on distinct streams. With several writers, batches run concurrently: each append's checks must be made
    /// after the batches committed before it (PostgreSQL: under the append lock, in a statement started after it). An implementation that cannot tell which append broke a transaction fails none of them
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

    private void WriteLoop(BlockingCollection<PendingAppend> queue)
    {
        var batch = new List<PendingAppend>(_options.MaxBatchSize);
        var streams = new HashSet<string>(StringComparer.Ordinal);
        var deferred = new Queue<PendingAppend>();
        while (true)
        {
            var events = 0;
            // Appends deferred from the last batch go first, so an append never overtakes one queued before it.
            var carried = deferred.Count;
            for (var i = 0; i < carried; i++)
            {
                Take(deferred.Dequeue());
            }

            if (batch.Count == 0)
            {
                if (!queue.TryTake(out var first, Timeout.Infinite))
                {
                    return; // Completed and drained.
                }

                Take(first);
            }

            while (batch.Count < _options.MaxBatchSize && events < _options.MaxBatchEvents && queue.TryTake(out var next))
            {
                Take(next);
            }

            WriteAndComplete(batch);
            batch.Clear();
            streams.Clear();

            void Take(PendingAppend append)
            {
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
    }

    private void WriteAndComplete(List<PendingAppend> batch)
    {
        try
        {
            WriteBatch(batch);
        }
        catch (Exception ex)
        {
            foreach (var append in batch)
            {
                append.Fail(ex);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var queue in _queues)
        {
            queue.CompleteAdding();
        }

        // Let the writer finish what was queued; a writer stuck on a dead database gives up at its command timeout.
        await Task.Run(() =>
        {
            foreach (var writer in _writers)
            {
                writer.Join(TimeSpan.FromSeconds(30));
            }
        });
        await ReleaseResourcesAsync();
        foreach (var queue in _queues)
        {
            queue.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    protected virtual ValueTask ReleaseResourcesAsync() => ValueTask.CompletedTask;
}
