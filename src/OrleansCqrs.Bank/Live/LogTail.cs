using Orleans.Concurrency;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Ledger;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Bank.Live;

/// <summary>
/// Reentrant: a follower's page read must never queue behind another follower's directory wait on the few workers
/// a silo has (it holds no state that interleaving could break).
/// </summary>
[StatelessWorker, Reentrant]
public sealed class LogTail(IEventStore store, EventSerializer serializer, IGrainFactory grains) : Grain, ILogTail
{
    private readonly ActiveLedger _ledger = new(grains);

    public async Task<LogPage> ReadAccountEvents(long afterPosition, int maxCount)
    {
        var entries = await store.ReadAllAsync(afterPosition, maxCount);
        var accountEvents = new List<EventEnvelope>(entries.Count);
        foreach (var entry in entries)
        {
            if (StreamNames.KeyOf(AccountGrain.StreamName, entry.StreamId) is not null)
            {
                accountEvents.Add(serializer.Deserialize(entry));
            }
        }

        return new LogPage(accountEvents, entries.Count == 0 ? afterPosition : entries[^1].Position, entries.Count);
    }

    public Task<long> Head() => store.GetHeadPositionAsync();

    public async Task<LogRead<IReadOnlyList<string>>> CustomerAccounts(string customerId, long minPosition, TimeSpan wait)
    {
        var shards = await Task.WhenAll((await _ledger.ShardsAsync()).Select(shard => shard.GetCustomerAccounts(customerId, minPosition, wait)));
        return new LogRead<IReadOnlyList<string>>(
            [.. shards.SelectMany(s => s.View ?? [])],
            shards.Min(s => s.Position),
            shards.Any(s => s.Stale));
    }
}
