using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.EventStore;

namespace OrleansCqrs.Bank.Tests.Accounts;

/// <summary>Tests that touch what every other test shares (the store, every account) run alone, after the rest.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "runs alone";
}

/// <summary>
/// Takes the shared store down for a moment, so it runs alone: every other test of the assembly uses that store.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class StoreOutageTests(ClusterFixture cluster)
{
    [Fact]
    public async Task An_unavailable_store_fails_the_command_with_a_clear_error_and_loses_nothing()
    {
        var account = cluster.Grains.GetGrain<IAccountGrain>($"acc-{Guid.NewGuid():N}");
        await account.Execute(new OpenAccount("cust-1", "EUR"), CommandContext.New());
        await account.Execute(new DepositMoney(10m), CommandContext.New());
        var id = account.GetPrimaryKeyString();
        var retry = new CommandContext(Guid.NewGuid(), "deposit 5");

        ClusterFixture.Database.SimulateOutage = true;
        try
        {
            await Assert.ThrowsAsync<EventStoreUnavailableException>(() => account.Execute(new DepositMoney(5m), retry));
        }
        finally
        {
            ClusterFixture.Database.SimulateOutage = false;
        }

        var afterOutage = await account.Execute(new DepositMoney(5m), retry);
        Assert.True(afterOutage.IsAccepted && !afterOutage.Replayed);
        Assert.Equal(15m, (await account.Get())!.Balance);
        Assert.Equal(3, (await ClusterFixture.Database.ReadStreamAsync(ClusterFixture.StreamOf(id), 1, 100)).Count);
    }
}
