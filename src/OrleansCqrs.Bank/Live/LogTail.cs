using Orleans.Concurrency;
using OrleansCqrs.Framework.EventStore;

namespace OrleansCqrs.Bank.Live;

[StatelessWorker]
public sealed class LogTail(IEventStore store) : Grain, ILogTail
{
    public async Task<IReadOnlyList<LogEntry>> ReadAfter(long afterPosition, int maxCount) =>
        [.. (await store.ReadAllAsync(afterPosition, maxCount)).Select(e => new LogEntry(e.StreamId, e.Version, e.Position, e.Type))];

    public Task<long> Head() => store.GetHeadPositionAsync();
}
