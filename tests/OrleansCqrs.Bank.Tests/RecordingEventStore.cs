using System.Collections.Concurrent;
using OrleansCqrs.Framework.EventStore;

namespace OrleansCqrs.Bank.Tests;

/// <summary>An event store that remembers where each stream read started, to see how an aggregate rehydrated.</summary>
public sealed class RecordingEventStore(IEventStore inner) : IEventStore
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<long>> _streamReads = new(StringComparer.Ordinal);

    public IEventStore Inner => inner;

    public IReadOnlyList<long> StreamReadsOf(string streamId) =>
        _streamReads.TryGetValue(streamId, out var reads) ? [.. reads] : [];

    public Task<AppendResult> AppendAsync(AppendRequest request, CancellationToken cancellationToken = default) =>
        inner.AppendAsync(request, cancellationToken);

    public Task<AppendResult?> FindCommandAsync(string streamId, Guid commandId, CancellationToken cancellationToken = default) =>
        inner.FindCommandAsync(streamId, commandId, cancellationToken);

    public Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, long fromVersion, int maxCount, CancellationToken cancellationToken = default)
    {
        _streamReads.GetOrAdd(streamId, _ => new ConcurrentQueue<long>()).Enqueue(fromVersion);
        return inner.ReadStreamAsync(streamId, fromVersion, maxCount, cancellationToken);
    }

    public Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default) =>
        inner.ReadAllAsync(afterPosition, maxCount, cancellationToken);

    public Task<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) =>
        inner.GetHeadPositionAsync(cancellationToken);
}
