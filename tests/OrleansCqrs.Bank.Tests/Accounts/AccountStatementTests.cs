using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Accounts.Statement;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Bank.Tests.Accounts;

public sealed class AccountStatementTests(ClusterFixture cluster)
{
    [Fact]
    public async Task A_statement_that_could_not_catch_up_says_it_is_stale_and_the_next_read_catches_up()
    {
        var id = $"acc-{Guid.NewGuid():N}";
        var account = cluster.Grains.GetGrain<IAccountGrain>(id);
        await account.Execute(new OpenAccount("cust-s", "EUR"), CommandContext.New());
        var statement = cluster.Grains.GetGrain<IAccountStatementProjection>(id);
        Assert.False((await statement.GetPage(null, 10)).Stale);
        await account.Execute(new DepositMoney(4m), CommandContext.New());

        // Its catch-up fails (the store is down a moment); the page is what it had, and says so.
        ClusterFixture.Store.FailNextRead(ClusterFixture.StreamOf(id), "accountstatementprojection");
        var behind = await statement.GetPage(null, 10);
        var caughtUp = await statement.GetPage(null, 10);

        Assert.Equal((1L, true), (behind.Version, behind.Stale));
        Assert.Equal((2L, false), (caughtUp.Version, caughtUp.Stale));
        Assert.Equal(4m, caughtUp.Entries[0].BalanceAfter);
    }

    [Fact]
    public async Task Paging_back_through_a_long_statement_gives_every_entry_once_with_its_balance_after()
    {
        var id = $"acc-{Guid.NewGuid():N}";
        var account = cluster.Grains.GetGrain<IAccountGrain>(id);
        await account.Execute(new OpenAccount("cust-s", "EUR"), CommandContext.New());
        var expected = new List<(long Version, string Kind, decimal Amount, decimal Balance)> { (1, "opened", 0m, 0m) };
        var balance = 0m;
        for (var i = 2; i <= 260; i++)
        {
            var withdraw = i % 10 == 0;
            var amount = withdraw ? 1.5m : i / 10m;
            var result = withdraw
                ? await account.Execute(new WithdrawMoney(amount), CommandContext.New())
                : await account.Execute(new DepositMoney(amount), CommandContext.New());
            Assert.True(result.IsAccepted, result.Rejection?.Message);
            balance += withdraw ? -amount : amount;
            expected.Add((i, withdraw ? "withdrawal" : "deposit", amount, balance));
        }

        var statement = cluster.Grains.GetGrain<IAccountStatementProjection>(id);
        await Eventually.ReturnsAsync(() => statement.GetPage(null, 1), p => p.Version == 260, TimeSpan.FromSeconds(10), "the statement to reach version 260");

        var entries = new List<StatementEntry>();
        long? before = null;
        do
        {
            var page = await statement.GetPage(before, 70);
            Assert.InRange(page.Entries.Length, 1, 70);
            entries.AddRange(page.Entries);
            before = page.NextBeforeVersion;
        }
        while (before is not null);

        expected.Reverse();
        Assert.Equal(expected, entries.Select(e => (e.Version, e.Kind, e.Amount, e.BalanceAfter)));
    }

    [Fact]
    public async Task A_page_before_a_version_starts_just_below_it()
    {
        var id = $"acc-{Guid.NewGuid():N}";
        var account = cluster.Grains.GetGrain<IAccountGrain>(id);
        await account.Execute(new OpenAccount("cust-s", "EUR"), CommandContext.New());
        for (var i = 1; i <= 5; i++)
        {
            await account.Execute(new DepositMoney(i), CommandContext.New());
        }

        var statement = cluster.Grains.GetGrain<IAccountStatementProjection>(id);
        await Eventually.ReturnsAsync(() => statement.GetPage(null, 1), p => p.Version == 6, TimeSpan.FromSeconds(10), "the statement to reach version 6");
        var page = await statement.GetPage(5, 2);

        Assert.Equal([(4L, 6m), (3L, 3m)], page.Entries.Select(e => (e.Version, e.BalanceAfter)));
        Assert.Equal(3, page.NextBeforeVersion);
    }
}
