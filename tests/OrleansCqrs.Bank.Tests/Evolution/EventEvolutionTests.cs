using OrleansCqrs.Framework.Projections;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Accounts.Statement;
using OrleansCqrs.Bank.Accounts.Summary;
using OrleansCqrs.Bank.Ledger;
using OrleansCqrs.Bank.Customers;
using OrleansCqrs.Framework.Live;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Bank.Tests.Evolution;

/// <summary>
/// Events the earlier bank stored under names and shapes today's code no longer has are read as today's events on
/// every read path: the aggregate's load, a stream projection's catch-up and rebuild, the healer, the ledger (a log
/// projection) and its rebuild, the statement and the live feed. The stored events are never rewritten.
/// </summary>
public sealed class EventEvolutionTests(EvolvedBankCluster cluster) : IClassFixture<EvolvedBankCluster>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static string NewId() => $"acc-{Guid.NewGuid():N}";

    /// <summary>Opened, 125.50 credited (in cents), 25.50 withdrawn: 100 in euros at version 3.</summary>
    private Task<long> WriteOpenAccountAsync(string id, string customerId) =>
        cluster.WriteYesterdaysEventsAsync(id, new AccountCreated(customerId), new AccountCredited(12_550), new MoneyWithdrawn(25.50m));

    [Fact]
    public async Task An_account_loads_yesterdays_events_as_todays_and_takes_new_commands()
    {
        var (open, closed) = (NewId(), NewId());
        await WriteOpenAccountAsync(open, "cust-evolved");
        await cluster.WriteYesterdaysEventsAsync(closed, new AccountCreated("cust-evolved"), new AccountTerminated());

        var account = cluster.Grains.GetGrain<IAccountGrain>(open);
        Assert.Equal(new AccountView(open, "cust-evolved", "EUR", 100m, AccountStatus.Open, 3), await account.Get());
        Assert.Equal(AccountStatus.Closed, (await cluster.Grains.GetGrain<IAccountGrain>(closed).Get())?.Status);

        var deposit = await account.Execute(new DepositMoney(1m), CommandContext.New());
        Assert.True(deposit is { IsAccepted: true, Version: 4 }, $"A deposit after yesterday's events must be version 4: {deposit}");
        Assert.Equal(101m, (await account.Get())?.Balance);
    }

    [Fact]
    public async Task A_summary_catches_up_and_rebuilds_from_yesterdays_events()
    {
        var id = NewId();
        var version = await WriteOpenAccountAsync(id, "cust-summary");

        var read = await cluster.Grains.GetGrain<IReadModelQueries>(0).Get<IAccountSummaryProjection, AccountSummary>(id, version, Wait);
        Assert.False(read.Stale);
        Assert.Equal(("cust-summary", "EUR", 100m, 3L), (read.View!.CustomerId, read.View.Currency, read.View.Balance, read.View.Version));

        var projection = cluster.Grains.GetGrain<IAccountSummaryProjection>(id);
        var rebuilt = await projection.Rebuild();
        Assert.Equal(3, rebuilt.Version);
        Assert.Equal(read.View, (await projection.Get(version, Wait)).View);
    }

    [Fact]
    public async Task The_healer_brings_yesterdays_events_to_the_summary_with_nobody_reading()
    {
        var id = NewId();
        await WriteOpenAccountAsync(id, "cust-healed");
        var projection = cluster.Grains.GetGrain<IAccountSummaryProjection>(id);

        // Nothing publishes these events and nobody reads the summary: only the healer can activate it and make it
        // catch up. Checked without waking it (a plain read of an active projection).
        await Eventually.ReturnsAsync(
            async () => !await Activations.IsActiveAsync(cluster.Grains, projection)
                ? null
                : (await projection.Get(0, TimeSpan.Zero)).View,
            summary => summary is { Version: 3, Balance: 100m, Currency: "EUR" },
            SummaryAudit.HealDeadline,
            "the healer to bring the summary to version 3 with 100 EUR",
            summary => $"{summary}");
        await HealerAudit.AwaitHealAsync(cluster.Grains, h => h.Projection == projection.GetGrainId() && h.ReachedVersion == 3, "the summary healed to version 3");
    }

    [Fact]
    public async Task The_ledger_reads_yesterdays_events_from_the_log_and_after_a_rebuild()
    {
        var id = NewId();
        await WriteOpenAccountAsync(id, $"cust-{Guid.NewGuid():N}");
        var expected = new AccountBalance(id, (await cluster.Grains.GetGrain<IAccountGrain>(id).Get())!.CustomerId, "EUR", 100m);
        var head = await cluster.Log.GetHeadPositionAsync();
        var bank = cluster.Grains.GetGrain<IBankQueries>(0);

        var top = await bank.GetTopAccounts(100, head, Wait);
        Assert.False(top.Stale);
        Assert.Contains(expected, top.View!);
        var customerAccounts = await cluster.Grains.GetGrain<ICustomerQueries>(0).GetAccountIds(expected.CustomerId, head, Wait);
        Assert.Equal([id], customerAccounts.View);

        var registry = cluster.Grains.GetGrain<ILedgerRegistry>(0);
        await registry.StartRebuild();
        await Eventually.ReturnsAsync(registry.GetProgress, p => !p.InProgress, TimeSpan.FromSeconds(20), "the ledger rebuild to finish");
        Assert.Contains(expected, (await bank.GetTopAccounts(100, head, Wait)).View!);
    }

    [Fact]
    public async Task The_statement_lists_yesterdays_events_as_todays()
    {
        var id = NewId();
        await cluster.WriteYesterdaysEventsAsync(id, new AccountCreated("cust-statement"), new AccountCredited(10_000), new MoneyWithdrawn(100m), new AccountTerminated());

        var page = await cluster.Grains.GetGrain<IAccountStatementProjection>(id).GetPage(null, 10);

        Assert.Equal(
            [(4L, "closed", 0m, 0m), (3L, "withdrawal", 100m, 0m), (2L, "deposit", 100m, 100m), (1L, "opened", 0m, 0m)],
            page.Entries.Select(e => (e.Version, e.Kind, e.Amount, e.BalanceAfter)));
    }

    [Fact]
    public async Task The_live_feed_reads_yesterdays_events_as_todays()
    {
        var id = NewId();
        var before = await cluster.Log.GetHeadPositionAsync();
        await WriteOpenAccountAsync(id, "cust-live");

        var page = await cluster.Grains.GetGrain<ILogTail>(0).Read(AccountGrain.StreamName, before, 1000);

        Assert.Equal(
            [new AccountOpened("cust-live", "EUR"), new MoneyDeposited(125.50m), new MoneyWithdrawn(25.50m)],
            page.Events.Where(e => e.StreamId == ClusterFixture.StreamOf(id)).Select(e => e.Event));
    }
}
