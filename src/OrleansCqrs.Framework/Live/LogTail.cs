using Orleans.Concurrency;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.Roles;

namespace OrleansCqrs.Framework.Live;

/// <summary>
/// Reentrant: a follower's page read must never queue behind another's on the few workers a silo has (it holds no
/// state that interleaving could break). Reads share the silo's <see cref="SharedLogReader"/> with the log projections.
/// </summary>
[StatelessWorker, Reentrant, ReadSide]
public sealed class LogTail(SharedLogReader log, IEventStore store, EventSerializer serializer) : Grain, ILogTail
{
    public Task<LogPage> Read(string streamNamespace, long afterPosition, int maxCount) =>
        ReadNamespaces([streamNamespace], afterPosition, maxCount);

    public async Task<LogPage> ReadNamespaces(string[] streamNamespaces, long afterPosition, int maxCount)
    {
        ArgumentNullException.ThrowIfNull(streamNamespaces);
        var entries = await log.ReadAllAsync(afterPosition, maxCount);
        var events = new List<EventEnvelope>(entries.Count);
        foreach (var entry in entries)
        {
            if (Array.Exists(streamNamespaces, ns => StreamNames.TryKeyOf(ns, entry.StreamId, out _)))
            {
                events.Add(serializer.Deserialize(entry));
            }
        }

        return new LogPage(events, entries.Count == 0 ? afterPosition : entries[^1].Position, entries.Count);
    }

    public Task<long> Head() => store.GetHeadPositionAsync();
}
