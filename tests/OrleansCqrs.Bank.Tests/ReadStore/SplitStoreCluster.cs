using System.Globalization;
using Npgsql;
using Orleans.TestingHost;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.EventStore.Postgres;
using OrleansCqrs.Hosting;

namespace OrleansCqrs.Bank.Tests.ReadStore;

/// <summary>
/// A one-silo cluster configured as production is, with the event log in one PostgreSQL database and the read models
/// in another (<c>OrleansCqrs:ReadStoreConnectionString</c>), migrated by the silo at start-up.
/// </summary>
public sealed class SplitStoreCluster : IAsyncDisposable
{
    private SplitStoreCluster(TestCluster cluster, string eventLog, string readStore)
    {
        Cluster = cluster;
        EventLog = eventLog;
        ReadStore = readStore;
        Log = new PostgresEventStore(new PostgresEventStoreOptions { ConnectionString = eventLog });
    }

    public TestCluster Cluster { get; }

    public IGrainFactory Grains => Cluster.GrainFactory;

    /// <summary>The event log's database.</summary>
    public string EventLog { get; }

    /// <summary>The read models' database.</summary>
    public string ReadStore { get; }

    /// <summary>The event log, read directly: what the read models must come to equal.</summary>
    public PostgresEventStore Log { get; }

    public static async Task<SplitStoreCluster> DeployAsync(string eventLog, string readStore)
    {
        var builder = new TestClusterBuilder(1);
        builder.Properties["OrleansCqrs:Store"] = nameof(StoreKind.Postgres);
        builder.Properties["OrleansCqrs:PostgresConnectionString"] = eventLog;
        builder.Properties["OrleansCqrs:ReadStoreConnectionString"] = readStore;
        builder.Properties["OrleansCqrs:SnapshotEvery"] = "5";
        builder.AddSiloBuilderConfigurator<Silo>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new SplitStoreCluster(cluster, eventLog, readStore);
    }

    /// <summary>Opens an account for <paramref name="customerId"/> and deposits <paramref name="deposits"/> into it.</summary>
    public async Task<(string Id, long Position)> OpenAsync(string customerId, params decimal[] deposits)
    {
        var id = $"split-{Guid.NewGuid():N}";
        var account = Grains.GetGrain<IAccountGrain>(id);
        var result = await account.Execute(new OpenAccount(customerId, "EUR"), CommandContext.New());
        Assert.True(result.IsAccepted, result.Rejection?.Message);
        foreach (var amount in deposits)
        {
            result = await account.Execute(new DepositMoney(amount), CommandContext.New());
            Assert.True(result.IsAccepted, result.Rejection?.Message);
        }

        return (id, result.Position);
    }

    /// <summary>Grain states of <paramref name="database"/> whose stored type name contains <paramref name="type"/>.</summary>
    public static Task<long> GrainStatesAsync(string database, string type) =>
        ScalarAsync<long>(database, $"SELECT count(*) FROM orleans_storage WHERE payload_binary IS NOT NULL AND grain_type_string ILIKE '%{type}%'");

    /// <summary>Whether <paramref name="database"/> has the table <paramref name="table"/>.</summary>
    public static async Task<bool> HasTableAsync(string database, string table) =>
        await ScalarAsync<bool>(database, $"SELECT to_regclass('{table}') IS NOT NULL");

    /// <summary>Every grain type name stored in <paramref name="database"/>, for failure messages.</summary>
    public static async Task<string> StoredTypesAsync(string database) =>
        await ScalarAsync<string?>(database, "SELECT string_agg(DISTINCT grain_type_string, ', ') FROM orleans_storage") ?? "none";

    public static async Task<T> ScalarAsync<T>(string database, string sql)
    {
        var unpooled = new NpgsqlConnectionStringBuilder(database) { Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(unpooled);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default! : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        await Log.DisposeAsync();
    }

    private sealed class Silo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            siloBuilder.AddOrleansCqrs(siloBuilder.Configuration, AppContext.BaseDirectory, cqrs => cqrs.AddDomain<BankModule>());
    }
}
