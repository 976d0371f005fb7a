using System.Collections.Concurrent;
using OrleansCqrs.Framework.EventStore;

namespace OrleansCqrs.Bank.Tests;

/// <summary>
/// An event store that remembers where each stream read started and which kind of grain read it, to see how an
/// aggregate rehydrated (its projections read the same stream). Each silo gets a view that knows its grain context.
/// </summary>
public sealed class RecordingEventStore(IEventStore inner)
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(string? GrainType, long From)>> _streamReads = new(StringComparer.Ordinal);

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

    public IEventStore ForSilo(IGrainContextAccessor grainContext) => new SiloView(this, grainContext);

    private sealed class SiloView(RecordingEventStore recorder, IGrainContextAccessor grainContext) : IEventStore
    {
        public Task<AppendResult> AppendAsync(AppendRequest request, CancellationToken cancellationToken = default) =>
            recorder.Inner.AppendAsync(request, cancellationToken);

        public Task<AppendResult?> FindCommandAsync(string streamId, Guid commandId, CancellationToken cancellationToken = default) =>
            recorder.Inner.FindCommandAsync(streamId, commandId, cancellationToken);

        public Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, long fromVersion, int maxCount, CancellationToken cancellationToken = default)
        {
            recorder._streamReads.GetOrAdd(streamId, _ => new ConcurrentQueue<(string?, long)>())
                .Enqueue((grainContext.GrainContext?.GrainId.Type.ToString(), fromVersion));
            return recorder.Inner.ReadStreamAsync(streamId, fromVersion, maxCount, cancellationToken);
        }

        public async Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default)
        {
            if (grainContext.GrainContext?.GrainId is { } grain && recorder._slowLogReads.TryGetValue(grain, out var delay))
            {
                await Task.Delay(delay, cancellationToken);
            }

            return await recorder.Inner.ReadAllAsync(afterPosition, maxCount, cancellationToken);
        }

        public Task<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) =>
            recorder.Inner.GetHeadPositionAsync(cancellationToken);
    }

    private IEventStore Inner => inner;
}
