using System.Threading.Channels;

namespace OrleansCqrs.Framework.EventStore;

/// <summary>
/// Gathers concurrent appends into one transaction per batch: a single writer loop takes everything queued while the
/// previous batch was committing. At low load an append goes alone at once; under load one commit (one fsync) serves
/// hundreds of appends. Each append keeps its own expected-version check and its own result.
/// </summary>
public abstract class GroupCommitEventStore : IEventStore, IAsyncDisposable
{
    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
    private readonly GroupCommitOptions _options;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _writer;

    protected GroupCommitEventStore(GroupCommitOptions options)
    {
        _options = options;
        _writer = Task.Run(WriteLoopAsync);
    }

    public Task<AppendResult> AppendAsync(AppendRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var pending = new PendingAppend(request);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);

        return pending.Task.WaitAsync(cancellationToken);
    }

    public abstract Task<AppendResult?> FindCommandAsync(string streamId, Guid commandId, CancellationToken cancellationToken = default);

    public abstract Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, long fromVersion, int maxCount, CancellationToken cancellationToken = default);

    public abstract Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the batch in one transaction and completes every append in it. Appends of one batch are on distinct
    /// streams. An implementation that cannot tell which append broke a transaction fails none of them blindly: it
    /// calls <see cref="WriteOneByOneAsync"/>.
    /// </summary>
    protected abstract Task WriteBatchAsync(IReadOnlyList<PendingAppend> batch, CancellationToken cancellationToken);

    protected async Task WriteOneByOneAsync(IReadOnlyList<PendingAppend> batch, CancellationToken cancellationToken)
    {
        foreach (var append in batch)
        {
            try
            {
                await WriteBatchAsync([append], cancellationToken);
            }
            catch (Exception ex)
            {
                append.Fail(ex);
            }
        }
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingAppend>(_options.MaxBatchSize);
        var streams = new HashSet<string>(StringComparer.Ordinal);
        var deferred = new Queue<PendingAppend>();
        var reader = _queue.Reader;
        while (deferred.Count > 0 || await reader.WaitToReadAsync())
        {
            var events = 0;
            // Appends deferred from the last batch go first, so an append never overtakes one queued before it.
            var carried = deferred.Count;
            for (var i = 0; i < carried; i++)
            {
                Take(deferred.Dequeue());
            }

            while (batch.Count < _options.MaxBatchSize && events < _options.MaxBatchEvents && reader.TryRead(out var next))
            {
                Take(next);
            }

            if (batch.Count > 0)
            {
                await WriteAndCompleteAsync(batch);
            }

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

    private async Task WriteAndCompleteAsync(List<PendingAppend> batch)
    {
        try
        {
            await WriteBatchAsync(batch, _stopping.Token);
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
        _queue.Writer.TryComplete();
        try
        {
            await _writer.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            await _stopping.CancelAsync();
        }

        await ReleaseResourcesAsync();
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    protected virtual ValueTask ReleaseResourcesAsync() => ValueTask.CompletedTask;
}
