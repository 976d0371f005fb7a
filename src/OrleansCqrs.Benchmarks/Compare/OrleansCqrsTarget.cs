using Microsoft.Extensions.Configuration;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Hosting;

namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>
/// OrleansCqrs as the app runs it (<see cref="BenchSilo"/>: one silo, the bank domain, projections and healer on), on
/// PostgreSQL or on SQLite, driven through the grain client: the account aggregate loads from its snapshot and
/// stream, decides, appends through the group-commit writer and answers after the commit.
/// </summary>
public sealed class OrleansCqrsTarget : ICommandTarget
{
    private readonly BenchSilo _silo;
    private readonly string? _dataDirectory;

    private OrleansCqrsTarget(string name, BenchSilo silo, string? dataDirectory)
    {
        Name = name;
        _silo = silo;
        _dataDirectory = dataDirectory;
    }

    public string Name { get; }

    public long Conflicts => 0;

    /// <summary>On PostgreSQL: the database of <paramref name="connectionString"/>, migrated at start.</summary>
    public static async Task<OrleansCqrsTarget> StartPostgresAsync(string connectionString, int snapshotEvery) =>
        new("orleanscqrs-postgres", await BenchSilo.StartAsync(Settings("Postgres", snapshotEvery, ("OrleansCqrs:PostgresConnectionString", connectionString)), Path.GetTempPath()), null);

    /// <summary>On SQLite, the embedded default: files in a temp folder of its own, deleted on dispose.</summary>
    public static async Task<OrleansCqrsTarget> StartSqliteAsync(int snapshotEvery)
    {
        var data = Directory.CreateTempSubdirectory("orleanscqrs-compare-").FullName;
        return new("orleanscqrs-sqlite", await BenchSilo.StartAsync(Settings("Sqlite", snapshotEvery, ("OrleansCqrs:DataDirectory", data)), data), data);
    }

    /// <summary>
    /// On OrleansCqrs's in-memory store: the same silo, aggregates and projections with nothing durable, so that the
    /// ratio to it is what durability costs OrleansCqrs itself.
    /// </summary>
    public static async Task<OrleansCqrsTarget> StartInMemoryAsync(int snapshotEvery) =>
        new("orleanscqrs-in-memory", await BenchSilo.StartAsync(Settings("InMemory", snapshotEvery), Path.GetTempPath()), null);

    /// <summary>Brings the database's schema up to date as a silo does at start: the event log and Orleans' tables.</summary>
    public static Task MigratePostgresAsync(string connectionString)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings("Postgres", 100, ("OrleansCqrs:PostgresConnectionString", connectionString))).Build();
        return SchemaMigrationStartup.MigrateAsync(OrleansCqrsSettings.From(configuration), Path.GetTempPath(), CancellationToken.None);
    }

    public Task OpenAccountsAsync(IReadOnlyList<string> accountIds, int parallelism) =>
        Parallel.ForEachAsync(accountIds, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (id, _) =>
        {
            var account = _silo.Grains.GetGrain<IAccountGrain>(id);
            var result = await SetupCommand.SendAsync(context => account.Execute(new OpenAccount("bench", "EUR"), context));
            if (!result.IsAccepted)
            {
                throw new InvalidOperationException($"{Name}: opening {id}: {result.Rejection!.Message}");
            }
        });

    public async Task DepositAsync(string accountId, decimal amount)
    {
        var result = await _silo.Grains.GetGrain<IAccountGrain>(accountId).Execute(new DepositMoney(amount), CommandContext.New());
        if (!result.IsAccepted)
        {
            throw new InvalidOperationException($"{Name}: deposit refused: {result.Rejection!.Message}");
        }
    }

    /// <summary>From the aggregates, whose state moves only when an append committed.</summary>
    public async Task<decimal> TotalBalanceAsync(IReadOnlyList<string> accountIds)
    {
        var total = 0m;
        await Parallel.ForEachAsync(accountIds, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (id, _) =>
        {
            var view = await _silo.Grains.GetGrain<IAccountGrain>(id).Get() ?? throw new InvalidOperationException($"{Name}: {id} is not open.");
            lock (accountIds)
            {
                total += view.Balance;
            }
        });
        return total;
    }

    public async ValueTask DisposeAsync()
    {
        await _silo.DisposeAsync();
        if (_dataDirectory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private static Dictionary<string, string?> Settings(string store, int snapshotEvery, params (string Key, string Value)[] location)
    {
        var settings = new Dictionary<string, string?>
        {
            ["OrleansCqrs:Store"] = store,
            ["OrleansCqrs:SnapshotEvery"] = $"{snapshotEvery}",
            ["OrleansCqrs:Telemetry:Enabled"] = "false",
        };
        foreach (var (key, value) in location)
        {
            settings[key] = value;
        }

        return settings;
    }
}
