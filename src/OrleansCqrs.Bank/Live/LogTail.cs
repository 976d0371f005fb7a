using Orleans.Concurrency;
using OrleansCqrs.Framework.EventStore;

namespace OrleansCqrs.Bank.Live;

// Reentrant: a worker holds no state, and a read waiting for a version (up to its wait) must not hold one of the
// few workers per silo while other reads queue behind it.
[StatelessWorker, Reentrant]
public sealed class LogTail(IEventStore store) : Grain, ILogTail
{
    public async Task<IReadOnlyList<LogEntry>> ReadAfter(long afterPosition, int maxCount) =>
        [.. (await store.ReadAllAsync(afterPosition, maxCount)).Select(e => new LogEntry(e.StreamId, e.Version, e.Position, e.Type))];

    public Task<long> Head() => store.GetHeadPositionAsync();
}
