using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Accounts.Statement;
using OrleansCqrs.Bank.Accounts.Summary;
using OrleansCqrs.Bank.Customers;
using OrleansCqrs.Bank.Ledger;
using OrleansCqrs.Bank.Transfers;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.Projections;
using OrleansCqrs.Framework.Projections.Healing;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Bank.Tests.ReadStore;

/// <summary>Two private PostgreSQL servers, one for the event log and one for the read models, shared by the tests of a class.</summary>
public sealed class SplitStoreServers : IAsyncLifetime
{
    public PostgresServer Writes { get; private set; } = null!;

    public PostgresServer Reads { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Writes = await PostgresServer.StartAsync();
        Reads = await PostgresServer.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Writes.DisposeAsync();
        await Reads.DisposeAsync();
    }
}

/// <summary>
/// The read models in a database of their own: they land there and not beside the log; with the log's database down
/// reads still answer, flagged stale once they may be behind; with the read store down commands are still accepted,
/// and when it returns every read model comes to equal the log and is saved there.
/// </summary>
public sealed class SplitStoreTests(SplitStoreServers servers) : IClassFixture<SplitStoreServers>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    /// <summary>
    /// After the read store comes back: the healer retries a projection whose catch-up failed with a delay doubling up to
    /// 30 s (HealingOptions.MaxRetryDelay), and then it catches up from the log.
    /// </summary>
    private static readonly TimeSpan CatchUpAfterOutage = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Read_models_land_in_the_read_store_and_nothing_of_them_beside_the_event_log()
    {
        var (eventLog, readStore) = (await servers.Writes.CreateDatabaseAsync("log"), await servers.Reads.CreateDatabaseAsync("reads"));
        await using (var split = await SplitStoreCluster.DeployAsync(eventLog, readStore))
        {
            var (id, position) = await split.OpenAsync("cust-wiring", 10m, 20m, 30m, 40m, 50m);
            var summary = await split.Grains.GetGrain<IAccountSummaryProjection>(id).Get(6, Wait);
            Assert.Equal(150m, summary.View!.Balance);
            var totals = await split.Grains.GetGrain<IBankQueries>(0).GetTotals(position, Wait);
            Assert.False(totals.Stale);
            // A graceful stop: every read model and the healer flush what they hold write-behind.
        }

        Assert.False(await SplitStoreCluster.HasTableAsync(eventLog, "cqrs_projections"), "the log's database has the projection rows' tables");
        Assert.False(await SplitStoreCluster.HasTableAsync(readStore, "cqrs_events"), "the read store has an event log");
        var (logTypes, readTypes) = (await SplitStoreCluster.StoredTypesAsync(eventLog), await SplitStoreCluster.StoredTypesAsync(readStore));
        // Orleans keeps each state under its name ([PersistentState("account-summary", ...)]).
        Assert.True(await SplitStoreCluster.GrainStatesAsync(eventLog, "snapshot") > 0, $"no snapshot beside the log; it holds {logTypes}");
        foreach (var readState in (string[])[AccountSummaryProjection.StateName, "account-statement", "ledger-registry", "healer"])
        {
            Assert.True(await SplitStoreCluster.GrainStatesAsync(eventLog, readState) == 0, $"read-side state beside the log: {logTypes}");
        }

        Assert.True(await SplitStoreCluster.GrainStatesAsync(readStore, AccountSummaryProjection.StateName) > 0, $"no summary in the read store; it holds {readTypes}");
        Assert.True(await SplitStoreCluster.GrainStatesAsync(readStore, "snapshot") == 0, $"snapshots in the read store: {readTypes}");
        Assert.True(
            await SplitStoreCluster.ScalarAsync<long>(readStore, "SELECT count(*) FROM cqrs_projection_rows") > 0,
            "no ledger rows in the read store");
    }

    [Fact]
    public async Task With_the_event_logs_database_down_reads_still_answer_and_say_stale_once_they_may_be_behind()
    {
        await using var split = await SplitStoreCluster.DeployAsync(await servers.Writes.CreateDatabaseAsync("log"), await servers.Reads.CreateDatabaseAsync("reads"));
        var (id, _) = await split.OpenAsync("cust-log-down", 25m);
        var (other, position) = await split.OpenAsync("cust-log-down", 75m);
        var account = split.Grains.GetGrain<IAccountGrain>(id);
        var summary = split.Grains.GetGrain<IAccountSummaryProjection>(id);
        Assert.Equal(25m, (await summary.Get(2, Wait)).View!.Balance);
        Assert.False((await split.Grains.GetGrain<IBankQueries>(0).GetTotals(position, Wait)).Stale);
        Assert.False((await split.Grains.GetGrain<ICustomerQueries>(0).GetPortfolio("cust-log-down", position, Wait)).Stale);

        await servers.Writes.StopAsync();
        try
        {
            await Assert.ThrowsAsync<EventStoreUnavailableException>(() => account.Execute(new DepositMoney(1m), CommandContext.New()));

            // What the projection holds is all there is: nothing can have been committed since.
            var held = await summary.Get(0, TimeSpan.Zero);
            Assert.Equal((25m, false), (held.View!.Balance, held.Stale));
            // Asked for more than it holds: it cannot read the log, so it answers what it has, stale, within the wait.
            var ahead = await summary.Get(3, TimeSpan.FromMilliseconds(200));
            Assert.Equal((25m, true), (ahead.View!.Balance, ahead.Stale));
            var atPosition = await summary.GetAtPosition(long.MaxValue);
            Assert.Equal((25m, true), (atPosition.View!.Balance, atPosition.Stale));

            // The ledger follows the log itself: once a read of it fails, what it holds is served as stale.
            var totals = await Eventually.ReturnsAsync(
                () => split.Grains.GetGrain<IBankQueries>(0).GetTotals(0, TimeSpan.Zero),
                read => read.Stale,
                Wait,
                "the totals to say stale once the log cannot be read");
            Assert.Equal(100m, totals.View!.Currencies["EUR"].Balance);
            var portfolio = await split.Grains.GetGrain<ICustomerQueries>(0).GetPortfolio("cust-log-down", position, TimeSpan.FromMilliseconds(200));
            Assert.True(portfolio.Stale);
            Assert.Equal(new[] { id, other }.Order(StringComparer.Ordinal), portfolio.View!.Accounts.Select(a => a.AccountId));
        }
        finally
        {
            await servers.Writes.StartAgainAsync();
        }

        var after = await Eventually.SucceedsAsync(() => account.Execute(new DepositMoney(1m), CommandContext.New()), Wait);
        Assert.True(after.IsAccepted);
        var fresh = await Eventually.ReturnsAsync(
            () => split.Grains.GetGrain<IBankQueries>(0).GetTotals(after.Position, Wait),
            read => !read.Stale,
            Wait,
            "the totals to be fresh again once the log is back");
        Assert.Equal(101m, fresh.View!.Currencies["EUR"].Balance);
    }

    [Fact]
    public async Task After_the_read_store_restarts_the_first_read_model_loaded_does_not_fail_on_a_connection_pooled_before()
    {
        await using var split = await SplitStoreCluster.DeployAsync(await servers.Writes.CreateDatabaseAsync("log"), await servers.Reads.CreateDatabaseAsync("reads"));
        var (before, _) = await split.OpenAsync("cust-restart", 1m);
        var (after, position) = await split.OpenAsync("cust-restart", 2m);
        // A statement is loaded only when read (no stream activates it): this load leaves its connection in the pool.
        Assert.NotEmpty((await split.Grains.GetGrain<IAccountStatementProjection>(before).GetPage(null, 10)).Entries);
        // Nothing else writes to the read store from here: the healer has saved its checkpoint at the log's end.
        await Eventually.ReturnsAsync(
            () => split.Grains.GetGrain<IProjectionHealer>(0).GetStatus(),
            status => status.Checkpoint >= position,
            Wait,
            "the healer's checkpoint to reach the log's end");

        await servers.Reads.StopAsync();
        await servers.Reads.StartAgainAsync();

        // The other statement's state is read on a pooled connection first, and that died with the server.
        Assert.NotEmpty((await split.Grains.GetGrain<IAccountStatementProjection>(after).GetPage(null, 10)).Entries);
    }

    [Fact]
    public async Task With_the_read_store_down_commands_are_accepted_and_read_models_catch_up_from_the_log_when_it_returns()
    {
        await using var split = await SplitStoreCluster.DeployAsync(await servers.Writes.CreateDatabaseAsync("log"), await servers.Reads.CreateDatabaseAsync("reads"));
        var (known, _) = await split.OpenAsync("cust-reads-down", 100m);
        Assert.Equal(100m, (await split.Grains.GetGrain<IAccountSummaryProjection>(known).Get(2, Wait)).View!.Balance);

        await servers.Reads.StopAsync();
        string[] opened;
        long lastPosition;
        try
        {
            // An account whose read models were active, and accounts whose read models cannot even be loaded.
            var deposit = await split.Grains.GetGrain<IAccountGrain>(known).Execute(new DepositMoney(5m), CommandContext.New());
            Assert.True(deposit.IsAccepted, deposit.Rejection?.Message);
            var (first, _) = await split.OpenAsync("cust-reads-down", 40m, 2m);
            var (second, _) = await split.OpenAsync("cust-reads-down", 60m);
            opened = [known, first, second];
            // A read model that cannot be loaded says why, typed (503 over HTTP), rather than failing as a bug would.
            await Assert.ThrowsAsync<ReadStoreUnavailableException>(() => split.Grains.GetGrain<IAccountSummaryProjection>(first).Get(0, TimeSpan.Zero));
            var transfer = split.Grains.GetGrain<ITransferGrain>($"split-tr-{Guid.NewGuid():N}");
            var requested = await transfer.Execute(new RequestTransfer(known, first, 30m, "EUR", null), CommandContext.New());
            Assert.True(requested.IsAccepted, requested.Rejection?.Message);
            var ended = await transfer.Get(Wait);
            Assert.True(ended is { HasEnded: true }, $"the transfer did not end: {ended}");
            lastPosition = (await split.Grains.GetGrain<IAccountGrain>(second).Execute(new WithdrawMoney(10m), CommandContext.New())).Position;
        }
        finally
        {
            await servers.Reads.StartAgainAsync();
        }

        // Nobody asks for a version: the stream's retries and the healer bring every summary to the log.
        await SummaryAudit.AwaitMatchLogAsync(split.Grains, split.Log, opened, CatchUpAfterOutage);
        var totals = await split.Grains.GetGrain<IBankQueries>(0).GetTotals(lastPosition, Wait);
        Assert.False(totals.Stale);
        Assert.Equal(100m + 5m + 40m + 2m + 60m - 10m, totals.View!.Currencies["EUR"].Balance);

        // And the read store has it all once they save (a graceful stop flushes them): the ledger at the log's end,
        // a summary state for every account.
        await split.Cluster.StopAllSilosAsync();
        Assert.True(
            await SplitStoreCluster.ScalarAsync<long>(split.ReadStore, "SELECT min(position) FROM cqrs_projections WHERE NOT retired") >= lastPosition,
            "a ledger shard saved short of the log's end");
        Assert.True(
            await SplitStoreCluster.GrainStatesAsync(split.ReadStore, AccountSummaryProjection.StateName) >= opened.Length,
            $"not every summary was saved: {await SplitStoreCluster.StoredTypesAsync(split.ReadStore)}");
    }
}
