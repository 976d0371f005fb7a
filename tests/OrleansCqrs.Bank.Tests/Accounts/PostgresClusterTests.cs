using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Ledger;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore.Postgres;
using OrleansCqrs.Hosting;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Bank.Tests.Accounts;

/// <summary>
/// The whole system on a private PostgreSQL, two silos: events, snapshots and read-model states in the database,
/// a silo stopped while commands run, and every read model checked against the log in the database.
/// </summary>
public sealed class PostgresClusterTests : IAsyncLifetime
{
    private static string s_connectionString = "";
    private PostgresServer _server = null!;
    private TestCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await PostgresServer.StartAsync();
        s_connectionString = await _server.CreateDatabaseAsync("cluster");
        var builder = new TestClusterBuilder(2);
        builder.AddSiloBuilderConfigurator<PostgresSilo>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task On_postgres_with_a_silo_stopped_mid_load_every_read_model_equals_the_log()
    {
        var ids = Enumerable.Range(0, 10).Select(i => $"pg-{i}-{Guid.NewGuid():N}").ToArray();
        foreach (var id in ids)
        {
            await _cluster.GrainFactory.GetGrain<IAccountGrain>(id).Execute(new OpenAccount("cust-pg", "PLN"), CommandContext.New());
        }

        long lastPosition = 0;
        var deposits = 0;
        var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var load = ids.Select(id => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                var context = CommandContext.New();
                var result = await Eventually.SucceedsAsync(() => _cluster.GrainFactory.GetGrain<IAccountGrain>(id).Execute(new DepositMoney(2.5m), context), TimeSpan.FromSeconds(60));
                Assert.True(result.IsAccepted, result.Rejection?.Message);
                InterlockedMax(ref lastPosition, result.Position);
                if (Interlocked.Increment(ref deposits) == 100)
                {
                    halfway.SetResult();
                }
            }
        })).ToArray();
        await halfway.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await _cluster.StopSiloAsync(_cluster.SecondarySilos[0]);
        await Task.WhenAll(load).WaitAsync(TimeSpan.FromSeconds(90));

        await using var store = new PostgresEventStore(new PostgresEventStoreOptions { ConnectionString = s_connectionString });
        foreach (var id in ids)
        {
            var events = await store.ReadStreamAsync(StreamNames.StoreStreamId(AccountGrain.StreamName, id), 1, 1000);
            Assert.Equal(Enumerable.Range(1, 21).Select(v => (long)v), events.Select(e => e.Version));
        }

        // With nobody asking for a version, and without waking a projection: the stream, gap filling and the healer.
        await SummaryAudit.AwaitMatchLogAsync(_cluster.GrainFactory, store, ids, SummaryAudit.HealDeadline);

        var totals = await _cluster.GrainFactory.GetGrain<IBankQueries>(0).GetTotals(lastPosition, TimeSpan.FromSeconds(10));
        Assert.False(totals.Stale);
        Assert.Equal(new CurrencyTotals("PLN", 500m, 200, 500m, 0, 0m), totals.View!.Currencies["PLN"]);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long seen;
        while ((seen = Interlocked.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
            // Another caller raised it meanwhile: look again.
        }
    }

    private sealed class PostgresSilo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            siloBuilder.AddOrleansCqrs(
                new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["OrleansCqrs:Store"] = nameof(StoreKind.Postgres),
                    ["OrleansCqrs:PostgresConnectionString"] = s_connectionString,
                    ["OrleansCqrs:SnapshotEvery"] = "5",
                }).Build(),
                AppContext.BaseDirectory,
                cqrs => cqrs.AddDomain<BankModule>());
    }
}
