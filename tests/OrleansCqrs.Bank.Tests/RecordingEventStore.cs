using System.Collections.Concurrent;
using OrleansCqrs.Framework.EventStore;

namespace OrleansCqrs.Bank.Tests;

/// <summary>
/// An event store that remembers where each stream read started and which kind of grain read it, to see how an
/// aggregate rehydrated (its projections read the same stream). Each silo gets a view that knows its grain context.
/// It also injects faults per stream: an append that commits but is reported unavailable (the connection dropped
/// after COMMIT), an append answered late, and reads by one kind of grain that fail or hang while a fault is set.
/// </summary>
public sealed class RecordingEventStore(IEventStore inner)
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(string? GrainType, long From)>> _streamReads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _ambiguousCommits = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string StreamId, string GrainType), int> _failingReads = new();
    private readonly ConcurrentDictionary<(string StreamId, string GrainType), (TaskCompletionSource Gate, bool AfterReading)> _heldReads = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _heldAppendAnswers = new(StringComparer.Ordinal);

    public IEventStore Inner => inner;

    /// <summary>Where the reads of <paramref name="streamId"/> made by grains of type <paramref name="grainType"/> started.</summary>
    public IReadOnlyList<long> StreamReadsOf(string streamId, string grainType) =>
        _streamReads.TryGetValue(streamId, out var reads) ? [.. reads.Where(r => r.GrainType == grainType).Select(r => r.From)] : [];

    private readonly ConcurrentDictionary<GrainId, TimeSpan> _slowLogReads = new();

    /// <summary>
    /// Makes every read of the global log by grain <paramref name="grain"/> take <paramref name="delay"/> longer
    /// (zero: back to normal): a long backlog, without writing one.
    /// </summary>
    public void SlowLogReadsOf(GrainId grain, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            _slowLogReads.TryRemove(grain, out _);
        }
        else
        {
            _slowLogReads[grain] = delay;
        }
    }

    private readonly ConcurrentDictionary<GrainId, long> _heldLogHeads = new();

    /// <summary>
    /// Grain <paramref name="grain"/> reads the global log as if it ended at <paramref name="head"/> (null: back to
    /// normal): a quiet log for it, whatever other tests append.
    /// </summary>
    public void HoldLogHeadOf(GrainId grain, long? head)
    {
        if (head is { } position)
        {
            _heldLogHeads[grain] = position;
        }
        else
        {
            _heldLogHeads.TryRemove(grain, out _);
        }
    }

    /// <summary>The next append to <paramref name="streamId"/> commits, then fails as if the connection dropped after COMMIT.</summary>
    public void CommitThenReportUnavailable(string streamId) => _ambiguousCommits[streamId] = 1;

    /// <summary>Reads of <paramref name="streamId"/> by grains of type <paramref name="grainType"/> fail until <see cref="HealReads"/>.</summary>
    public void FailReads(string streamId, string grainType) => _failingReads[(streamId, grainType)] = 0;

    public void HealReads(string streamId, string grainType) => _failingReads.TryRemove((streamId, grainType), out _);

    private readonly ConcurrentDictionary<(string StreamId, string GrainType), bool> _failNextRead = new();

    /// <summary>The next read of <paramref name="streamId"/> by a grain of type <paramref name="grainType"/> fails; later ones do not.</summary>
    public void FailNextRead(string streamId, string grainType) => _failNextRead[(streamId, grainType)] = true;

    /// <summary>How many reads failed so far under <see cref="FailReads"/>.</summary>
    public int FailedReads(string streamId, string grainType) => _failingReads.GetValueOrDefault((streamId, grainType));

    /// <summary>
    /// Reads of <paramref name="streamId"/> by grains of type <paramref name="grainType"/> hang until
    /// <see cref="ReleaseReads"/>: before they read, or with <paramref name="afterReading"/> once they have read (their
    /// answer is what the stream held then).
    /// </summary>
    public void HoldReads(string streamId, string grainType, bool afterReading = false) =>
        _heldReads[(streamId, grainType)] = (new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), afterReading);

    public void ReleaseReads(string streamId, string grainType)
    {
        if (_heldReads.TryRemove((streamId, grainType), out var held))
        {
            held.Gate.SetResult();
        }
    }

    /// <summary>
    /// Appends to <paramref name="streamId"/> commit, then their answers wait until <see cref="ReleaseAppendAnswers"/>:
    /// the window in which the events are stored and the appending grain does not know it yet.
    /// </summary>
    public void HoldAppendAnswers(string streamId) =>
        _heldAppendAnswers[streamId] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ReleaseAppendAnswers(string streamId)
    {
        if (_heldAppendAnswers.TryRemove(streamId, out var gate))
        {
            gate.SetResult();
        }
    }

    public IEventStore ForSilo(IGrainContextAccessor grainContext) => new SiloView(this, grainContext);

    private sealed class SiloView(RecordingEventStore recorder, IGrainContextAccessor grainContext) : IEventStore
    {
        public async Task<AppendResult> AppendAsync(AppendRequest request, CancellationToken cancellationToken = default)
        {
            var result = await recorder.Inner.AppendAsync(request, cancellationToken);
            if (recorder._heldAppendAnswers.TryGetValue(request.StreamId, out var gate))
            {
                await gate.Task;
            }

            if (recorder._ambiguousCommits.TryRemove(request.StreamId, out _))
            {
                throw new EventStoreUnavailableException("Injected: the connection was lost after COMMIT.");
            }

            return result;
        }

        public Task<AppendResult?> FindCommandAsync(string streamId, Guid commandId, CancellationToken cancellationToken = default) =>
            recorder.Inner.FindCommandAsync(streamId, commandId, cancellationToken);

        public async Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, long fromVersion, int maxCount, CancellationToken cancellationToken = default)
        {
            var grainType = grainContext.GrainContext?.GrainId.Type.ToString();
            recorder._streamReads.GetOrAdd(streamId, _ => new ConcurrentQueue<(string?, long)>()).Enqueue((grainType, fromVersion));
            if (grainType is not null && recorder._failNextRead.TryRemove((streamId, grainType), out _))
            {
                throw new EventStoreUnavailableException("Injected: the store cannot be read this once.");
            }

            while (grainType is not null && recorder._failingReads.TryGetValue((streamId, grainType), out var failed))
            {
                if (recorder._failingReads.TryUpdate((streamId, grainType), failed + 1, failed))
                {
                    throw new EventStoreUnavailableException("Injected: the store cannot be read.");
                }
            }

            var held = grainType is not null && recorder._heldReads.TryGetValue((streamId, grainType), out var hold) ? hold : default;
            if (held.Gate is not null && !held.AfterReading)
            {
                await held.Gate.Task;
            }

            var events = await recorder.Inner.ReadStreamAsync(streamId, fromVersion, maxCount, cancellationToken);
            if (held is { Gate: not null, AfterReading: true })
            {
                await held.Gate.Task;
            }

            return events;
        }

        public async Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default)
        {
            var grain = grainContext.GrainContext?.GrainId;
            if (grain is { } slowed && recorder._slowLogReads.TryGetValue(slowed, out var delay))
            {
                await Task.Delay(delay, cancellationToken);
            }

            var page = await recorder.Inner.ReadAllAsync(afterPosition, maxCount, cancellationToken);
            return grain is { } held && recorder._heldLogHeads.TryGetValue(held, out var head) ? [.. page.Where(e => e.Position <= head)] : page;
        }

        public Task<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) =>
            recorder.Inner.GetHeadPositionAsync(cancellationToken);
    }
}
