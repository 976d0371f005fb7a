using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Customers;
using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Bank.Tests.Customers;

/// <summary>Many accounts of a customer into one read, at the position of the caller's last write.</summary>
public sealed class CustomerPortfolioTests(ClusterFixture cluster)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private ICustomerQueries Queries => cluster.Grains.GetGrain<ICustomerQueries>(0);

    private async Task<CommandResult> OpenWithAsync(string customerId, string accountId, string currency, decimal deposit)
    {
        var account = cluster.Grains.GetGrain<IAccountGrain>(accountId);
        var opened = await account.Execute(new OpenAccount(customerId, currency), CommandContext.New());
        return deposit > 0 ? await account.Execute(new DepositMoney(deposit), CommandContext.New()) : opened;
    }

    [Fact]
    public async Task A_portfolio_read_at_the_last_write_has_every_account_and_the_totals_per_currency()
    {
        var customer = $"cust-{Guid.NewGuid():N}";
        await OpenWithAsync(customer, $"{customer}-a", "EUR", 100m);
        await OpenWithAsync(customer, $"{customer}-b", "EUR", 50.25m);
        await OpenWithAsync(customer, $"{customer}-c", "USD", 0m);
        var last = await cluster.Grains.GetGrain<IAccountGrain>($"{customer}-c").Execute(new DepositMoney(7m), CommandContext.New());

        var read = await Queries.GetPortfolio(customer, last.Position, Wait);

        Assert.False(read.Stale);
        var portfolio = read.View!;
        Assert.Equal([$"{customer}-a", $"{customer}-b", $"{customer}-c"], portfolio.Accounts.Select(a => a.AccountId));
        Assert.Equal([new CurrencyBalance("EUR", 150.25m, 2), new CurrencyBalance("USD", 7m, 1)], portfolio.Balances);
    }

    [Fact]
    public async Task An_account_opened_just_now_is_in_the_portfolio_read_at_its_position()
    {
        var customer = $"cust-{Guid.NewGuid():N}";
        await OpenWithAsync(customer, $"{customer}-1", "CHF", 1m);
        await Queries.GetPortfolio(customer, 0, Wait);

        var opened = await OpenWithAsync(customer, $"{customer}-2", "CHF", 0m);
        var read = await Queries.GetPortfolio(customer, opened.Position, Wait);

        Assert.False(read.Stale);
        Assert.Equal(2, read.View!.Accounts.Length);
    }

    [Fact]
    public async Task A_customer_without_accounts_has_no_portfolio()
    {
        var read = await Queries.GetPortfolio($"cust-{Guid.NewGuid():N}", 0, Wait);

        Assert.Null(read.View);
    }
}
