namespace OrleansCqrs.Bank.Ledger;

/// <summary>
/// The shards of the generation of the ledger that serves reads, as a query grain sees it: the registry is asked at
/// most once a second per query activation, so a switch after a rebuild reaches readers within a second (until
/// then they read the old generation, which is still complete).
/// </summary>
public sealed class ActiveLedger(IGrainFactory grains)
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);
    private int _generation;
    private DateTime _checkedAt = DateTime.MinValue;

    public async Task<IReadOnlyList<ILedgerShard>> ShardsAsync()
    {
        if (DateTime.UtcNow - _checkedAt > Refresh)
        {
            _generation = await grains.GetGrain<ILedgerRegistry>(0).GetActiveGeneration();
            _checkedAt = DateTime.UtcNow;
        }

        return [.. LedgerShards.All.Select(shard => grains.GetGrain<ILedgerShard>(LedgerShards.Key(_generation, shard)))];
    }
}
