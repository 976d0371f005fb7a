using System.Collections.Immutable;

namespace OrleansCqrs.Framework.EventStore.InMemory;

/// <summary>
/// The event store in process memory, for tests and demos, with the durable stores' contract. Writers take turns on
/// one gate and publish an immutable snapshot when they finish, so readers never see a half-done append and position
/// order is commit order. <see cref="SimulateOutage"/> makes it behave like an unreachable database.
/// </summary>
public sealed class InMemoryEventStore : IEventStore, ICommandOutcomeRetention, IDisposable
{
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private volatile Snapshot _committed = Snapshot.Empty;
    private volatile bool _unavailable;
    private int _waitingWriters;

    /// <summary>Appends waiting for the write gate (tests that hold it open).</summary>
    internal int WaitingWriters => Volatile.Read(ref _waitingWriters);

    /// <summary>While true, every call fails with <see cref="EventStoreUnavailableException"/>.</summary>
    public bool SimulateOutage
    {
        get => _unavailable;
        set => _unavailable = value;
    }

    public async Task<AppendResult> AppendAsync(AppendRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        ThrowIfUnavailable();
        Interlocked.Increment(ref _waitingWriters);
        try
        {
            await _writeGate.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waitingWriters);
        }

        try
        {
            return AppendHoldingGate(request);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private AppendResult AppendHoldingGate(AppendRequest request)
    {
        var state = _committed;
        if (state.Commands.TryGetValue((request.StreamId, request.CommandId), out var original))
        {
            return original with { IsDuplicate = true };
        }

        var stream = state.Streams.GetValueOrDefault(request.StreamId, []);
        if (stream.Count != request.ExpectedVersion)
        {
            throw new WrongExpectedVersionException(request.StreamId, request.ExpectedVersion, stream.Count);
        }

        if (request.RejectionOutcome is { } outcome)
        {
            var rejected = new AppendResult(stream.Count, 0, IsDuplicate: false, request.CommandFingerprint, outcome);
            _committed = state with
            {
                Commands = state.Commands.SetItem((request.StreamId, request.CommandId), rejected),
                Rejections = state.Rejections.SetItem((request.StreamId, request.CommandId), DateTimeOffset.UtcNow),
            };
            return rejected;
        }

        var log = state.Log;
        foreach (var e in request.Events)
        {
            var recorded = new RecordedEvent(request.StreamId, stream.Count + 1, log.Count + 1, e.Type, e.Data, e.Metadata);
            stream = stream.Add(recorded);
            log = log.Add(recorded);
        }

        var result = new AppendResult(stream.Count, log.Count, IsDuplicate: false, request.CommandFingerprint);
        _committed = state with
        {
            Log = log,
            Streams = state.Streams.SetItem(request.StreamId, stream),
            Commands = state.Commands.SetItem((request.StreamId, request.CommandId), result),
        };
        return result;
    }

    public Task<AppendResult?> FindCommandAsync(string streamId, Guid commandId, CancellationToken cancellationToken = default)
    {
        ThrowIfUnavailable();
        return Task.FromResult(_committed.Commands.TryGetValue((streamId, commandId), out var result) ? result with { IsDuplicate = true } : null);
    }

    public async Task<int> PurgeRejectionsAsync(DateTimeOffset recordedBefore, CancellationToken cancellationToken = default)
    {
        ThrowIfUnavailable();
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            var state = _committed;
            var expired = state.Rejections.Where(r => r.Value < recordedBefore).Select(r => r.Key).ToList();
            _committed = state with { Commands = state.Commands.RemoveRange(expired), Rejections = state.Rejections.RemoveRange(expired) };
            return expired.Count;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, long fromVersion, int maxCount, CancellationToken cancellationToken = default)
    {
        ThrowIfUnavailable();
        var stream = _committed.Streams.GetValueOrDefault(streamId, []);
        var from = (int)Math.Clamp(fromVersion - 1, 0, stream.Count);
        return Task.FromResult<IReadOnlyList<RecordedEvent>>(stream.Skip(from).Take(maxCount).ToList());
    }

    public Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default)
    {
        ThrowIfUnavailable();
        var log = _committed.Log;
        var from = (int)Math.Clamp(afterPosition, 0, log.Count);
        return Task.FromResult<IReadOnlyList<RecordedEvent>>(log.Skip(from).Take(maxCount).ToList());
    }

    public Task<long> GetHeadPositionAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfUnavailable();
        return Task.FromResult((long)_committed.Log.Count);
    }

    /// <summary>
    /// Starts an append that stays in flight: here other appends wait behind it (one writer), reads go on and see what
    /// was committed before; disposing the handle commits <paramref name="request"/>. For tests.
    /// </summary>
    internal async Task<IAsyncDisposable> BeginAppendAsync(AppendRequest request)
    {
        request.Validate();
        await _writeGate.WaitAsync();
        return new OpenAppend(this, request);
    }

    private sealed class OpenAppend(InMemoryEventStore store, AppendRequest request) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            try
            {
                store.AppendHoldingGate(request);
            }
            finally
            {
                store._writeGate.Release();
            }

            return ValueTask.CompletedTask;
        }
    }

    public void Dispose() => _writeGate.Dispose();

    private void ThrowIfUnavailable()
    {
        if (_unavailable)
        {
            throw new EventStoreUnavailableException("The in-memory event store is simulating an outage.");
        }
    }

    private sealed record Snapshot(
        ImmutableList<RecordedEvent> Log,
        ImmutableDictionary<string, ImmutableList<RecordedEvent>> Streams,
        ImmutableDictionary<(string Stream, Guid Command), AppendResult> Commands,
        ImmutableDictionary<(string Stream, Guid Command), DateTimeOffset> Rejections)
    {
        public static readonly Snapshot Empty = new([], ImmutableDictionary.Create<string, ImmutableList<RecordedEvent>>(StringComparer.Ordinal), [], []);
    }
}
