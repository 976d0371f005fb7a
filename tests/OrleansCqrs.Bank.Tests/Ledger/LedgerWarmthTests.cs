using OrleansCqrs.Bank.Ledger;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Bank.Tests.Ledger;

/// <summary>
/// Ledger shards are active before anyone reads them, and stay active while idle. Runs alone: other tests force the
/// collection of every idle activation (age zero), which a shard between two polls is, keep-alive or not.
/// </summary>
[Collection(Accounts.RunsAlone.Name)]
public sealed class LedgerWarmthTests(ClusterFixture cluster)
{
    private static async Task<bool> IsActiveAsync(IGrainFactory grains, ILedgerShard shard)
    {
        var statistics = await grains.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return statistics.Any(s => s.GrainId == shard.GetGrainId() && s.GrainType.StartsWith(typeof(LedgerShard).FullName!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_starting_silo_activates_the_serving_generations_shards_without_a_reader()
    {
        var fresh = await ClusterFixture.DeployAsync();
        try
        {
            var generation = await fresh.GrainFactory.GetGrain<ILedgerRegistry>(0).GetActiveGeneration();
            foreach (var shard in LedgerShards.All.Select(s => fresh.GrainFactory.GetGrain<ILedgerShard>(LedgerShards.Key(generation, s))))
            {
                await Eventually.ReturnsAsync(() => IsActiveAsync(fresh.GrainFactory, shard), active => active, TimeSpan.FromSeconds(15), $"shard {shard.GetPrimaryKeyLong()} to be activated at silo start");
            }
        }
        finally
        {
            await fresh.StopAllSilosAsync();
            await fresh.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_idle_shard_is_not_collected()
    {
        var shard = cluster.Grains.GetGrain<ILedgerShard>(LedgerShards.Key(Random.Shared.Next(1_000, 20_000_000), 1));
        await shard.GetStatus();

        // Idle for longer than the collection age asked for below: without its keep-alive it would be collected.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.FromSeconds(1));

        Assert.True(await IsActiveAsync(cluster.Grains, shard), "The idle shard was collected.");
    }
}
