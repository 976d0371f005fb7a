using System.Globalization;
using Microsoft.Data.Sqlite;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>
/// OrleansCqrs itself, as the command scenario measures it: a <see cref="BenchSilo"/> configured as the app configures
/// its silo (telemetry off), the bank's accounts taking <see cref="DepositMoney"/> through <c>Execute</c>.
/// </summary>
public sealed class OrleansCqrsTarget : ICommandTarget
{
    private readonly BenchSilo _silo;
    private readonly string? _sqliteDirectory;

    private OrleansCqrsTarget(string name, BenchSilo silo, string? sqliteDirectory)
    {
        Name = name;
        _silo = silo;
        _sqliteDirectory = sqliteDirectory;
    }

    public string Name { get; }

    /// <summary>Always 0: one silo, where each account's grain is the only writer of its stream.</summary>
    public long Conflicts => 0;

    public static async Task<OrleansCqrsTarget> StartPostgresAsync(string postgresConnectionString, int snapshotEvery = 100)
    {
        var silo = await BenchSilo.StartAsync(
            new Dictionary<string, string?>
            {
                ["OrleansCqrs:Store"] = "Postgres",
                ["OrleansCqrs:PostgresConnectionString"] = postgresConnectionString,
                ["OrleansCqrs:SnapshotEvery"] = snapshotEvery.ToString(CultureInfo.InvariantCulture),
                ["OrleansCqrs:Telemetry:Enabled"] = "false",
            },
            Path.GetTempPath());
        return new OrleansCqrsTarget("orleanscqrs-postgres", silo, null);
    }

    /// <summary>On SQLite files in a directory of its own, deleted when disposed.</summary>
    public static async Task<OrleansCqrsTarget> StartSqliteAsync(int snapshotEvery = 100)
    {
        var data = Directory.CreateTempSubdirectory("orleanscqrs-compare-").FullName;
        var silo = await BenchSilo.StartAsync(
            new Dictionary<string, string?>
            {
                ["OrleansCqrs:Store"] = "Sqlite",
                ["OrleansCqrs:DataDirectory"] = data,
                ["OrleansCqrs:SnapshotEvery"] = snapshotEvery.ToString(CultureInfo.InvariantCulture),
                ["OrleansCqrs:Telemetry:Enabled"] = "false",
            },
            data);
        return new OrleansCqrsTarget("orleanscqrs-sqlite", silo, data);
    }

    /// <summary>An account opened before (a second round on the same store) is as good as a new one.</summary>
    public Task OpenAccountsAsync(IReadOnlyList<string> accountIds, int parallelism) =>
        Parallel.ForEachAsync(accountIds, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (id, _) =>
        {
            var result = await _silo.Grains.GetGrain<IAccountGrain>(id).Execute(new OpenAccount("bench", "EUR"), CommandContext.New());
            if (!result.IsAccepted && result.Rejection!.Code != "account-exists")
            {
                throw new InvalidOperationException($"{Name}: opening {id} was refused: {result.Rejection.Message}");
            }
        });

    public async Task DepositAsync(string accountId, decimal amount)
    {
        var result = await _silo.Grains.GetGrain<IAccountGrain>(accountId).Execute(new DepositMoney(amount), CommandContext.New());
        if (!result.IsAccepted)
        {
            throw new InvalidOperationException($"{Name}: the deposit into {accountId} was refused: {result.Rejection!.Message}");
        }
    }

    /// <summary>Each account aggregate's own view: the state of the events it committed to the store.</summary>
    public async Task<decimal> TotalBalanceAsync(IReadOnlyList<string> accountIds)
    {
        var balances = new decimal[accountIds.Count];
        await Parallel.ForAsync(0, accountIds.Count, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, _) =>
        {
            var view = await _silo.Grains.GetGrain<IAccountGrain>(accountIds[i]).Get()
                ?? throw new InvalidOperationException($"{Name}: the account {accountIds[i]} was never opened.");
            balances[i] = view.Balance;
        });
        return balances.Sum();
    }

    public async ValueTask DisposeAsync()
    {
        await _silo.DisposeAsync();
        if (_sqliteDirectory is not null)
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_sqliteDirectory, recursive: true);
        }
    }
}
