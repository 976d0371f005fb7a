using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Ledger;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Bank.Tests.Ledger;

// Alone: other tests force the collection of every idle activation, the registry's included, in the seconds between
// the switch and the retirement this test waits for.
[Collection(Accounts.RunsAlone.Name)]
public sealed class LedgerRebuildTests(ClusterFixture cluster)
{
    [Fact]
    public async Task A_rebuild_builds_a_new_generation_beside_the_serving_one_and_switches_once_caught_up()
    {
        var account = cluster.Grains.GetGrain<IAccountGrain>($"rebuild-{Guid.NewGuid():N}");
        await account.Execute(new OpenAccount("cust-r", "BIF"), CommandContext.New());
        var deposited = await account.Execute(new DepositMoney(321m), CommandContext.New());
        var registry = cluster.Grains.GetGrain<ILedgerRegistry>(0);
        var bank = cluster.Grains.GetGrain<IBankQueries>(0);
        var before = await registry.GetActiveGeneration();

        var started = await registry.StartRebuild();
        // The serving generation keeps answering while the new one is built.
        var during = await bank.GetTotals(deposited.Position, TimeSpan.FromSeconds(10));
        var done = await Eventually.ReturnsAsync(registry.GetProgress, p => !p.InProgress, TimeSpan.FromSeconds(20), "the rebuild to finish");

        Assert.Equal(before + 1, started.BuildingGeneration);
        Assert.False(during.Stale);
        Assert.Equal(321m, during.View!.Currencies["BIF"].Balance);
        Assert.Equal(before + 1, done.ActiveGeneration);
        Assert.All(done.ShardPositions, p => Assert.True(p >= started.TargetPosition));

        // Reads move to the new generation within a second, and it counts everything, exactly once.
        var read = await Eventually.ReturnsAsync(
            () => bank.GetTotals(deposited.Position, TimeSpan.FromSeconds(10)),
            r => r.View!.Currencies.ContainsKey("BIF"),
            TimeSpan.FromSeconds(5),
            "totals from the new generation");
        Assert.Equal(new CurrencyTotals("BIF", 321m, 1, 321m, 0, 0m), read.View!.Currencies["BIF"]);
        // The rebuilt read model equals the live one it replaced.
        Assert.Equal(during.View.Currencies["BIF"], read.View.Currencies["BIF"]);
        Assert.Equal(before + 1, await registry.GetActiveGeneration());

        // The replaced generation's stored rows are deleted a few seconds after the switch, not kept for ever.
        foreach (var shard in LedgerShards.All)
        {
            var projectionId = cluster.Grains.GetGrain<ILedgerShard>(LedgerShards.Key(before, shard)).GetGrainId().ToString();
            var stored = await Eventually.ReturnsAsync(
                () => ClusterFixture.Rows.LoadAsync(projectionId), s => s is { Retired: true }, TimeSpan.FromSeconds(20), $"{projectionId} to be retired");
            Assert.Empty(stored!.Rows);
        }
    }

    [Fact]
    public async Task Two_rebuilds_in_quick_succession_retire_both_generations_they_replaced()
    {
        var registry = cluster.Grains.GetGrain<ILedgerRegistry>(0);
        var before = await registry.GetActiveGeneration();

        // The second switch comes before the first replaced generation was retired (5 s after its switch).
        await registry.StartRebuild();
        await Eventually.ReturnsAsync(registry.GetProgress, p => !p.InProgress, TimeSpan.FromSeconds(20), "the first rebuild to finish");
        await registry.StartRebuild();
        await Eventually.ReturnsAsync(registry.GetProgress, p => !p.InProgress, TimeSpan.FromSeconds(20), "the second rebuild to finish");

        Assert.Equal(before + 2, await registry.GetActiveGeneration());
        foreach (var generation in new[] { before, before + 1 })
        {
            foreach (var shard in LedgerShards.All)
            {
                var projectionId = cluster.Grains.GetGrain<ILedgerShard>(LedgerShards.Key(generation, shard)).GetGrainId().ToString();
                await Eventually.ReturnsAsync(
                    () => ClusterFixture.Rows.LoadAsync(projectionId), s => s is { Retired: true }, TimeSpan.FromSeconds(20), $"{projectionId} (generation {generation}) to be retired");
            }
        }
    }
}
