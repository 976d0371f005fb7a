using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Ledger;
using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Bank.Tests.Ledger;

public sealed class TopAccountsTests(ClusterFixture cluster)
{
    [Fact]
    public async Task The_top_accounts_are_the_highest_balances_highest_first_across_shards()
    {
        // Far above any balance other tests create, so these are the top three whatever else runs.
        var run = Guid.NewGuid().ToString("N");
        long last = 0;
        foreach (var (suffix, millions) in new[] { ("x", 700), ("y", 900), ("z", 800), ("w", 600) })
        {
            var account = cluster.Grains.GetGrain<IAccountGrain>($"top-{suffix}-{run}");
            await account.Execute(new OpenAccount("cust-top", "EUR"), CommandContext.New());
            last = (await account.Execute(new DepositMoney(millions * 1_000_000m), CommandContext.New())).Position;
        }

        var withdrawn = await cluster.Grains.GetGrain<IAccountGrain>($"top-y-{run}").Execute(new WithdrawMoney(250_000_000m), CommandContext.New());
        var read = await cluster.Grains.GetGrain<IBankQueries>(0).GetTopAccounts(3, Math.Max(last, withdrawn.Position), TimeSpan.FromSeconds(10));

        Assert.False(read.Stale);
        Assert.Equal([$"top-z-{run}", $"top-x-{run}", $"top-y-{run}"], read.View!.Select(a => a.AccountId));
        Assert.Equal([800_000_000m, 700_000_000m, 650_000_000m], read.View!.Select(a => a.Balance));
    }
}
