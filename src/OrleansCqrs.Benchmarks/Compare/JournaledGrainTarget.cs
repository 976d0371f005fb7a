using Microsoft.Extensions.DependencyInjection;
using Orleans.EventSourcing.StateStorage;
using Orleans.Storage;
using OrleansCqrs.Framework.Migrations;
using OrleansCqrs.Hosting;

namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>
/// What Orleans users have today: an in-process silo whose accounts are <see cref="JournaledAccountGrain"/>s with the
/// stock state-storage log-consistency provider over Orleans' ADO.NET grain storage on PostgreSQL, configured as the
/// Orleans documentation shows: nothing tuned (the storage's default serializer, Newtonsoft JSON; Npgsql's pool as the
/// connection string sets it), each deposit acknowledged after its storage write.
/// </summary>
public sealed class JournaledGrainTarget : ICommandTarget
{
    public const string LogConsistencyProvider = "journaled-accounts";

    public const string GrainStorage = "journaled-accounts";

    private readonly BaselineSilo _silo;

    private JournaledGrainTarget(BaselineSilo silo) => _silo = silo;

    public string Name => "orleans-journaledgrain";

    /// <summary>
    /// Always 0: one silo, each account grain runs one command at a time, so no ETag is ever stale (and were one
    /// stale, the log-consistency provider would reread and retry by itself, out of our sight).
    /// </summary>
    public long Conflicts => 0;

    private IGrainFactory Grains => _silo.Grains;

    public static async Task<JournaledGrainTarget> StartAsync(string postgresConnectionString)
    {
        // Orleans' ADO.NET storage reads its tables and statements from the database: the same migration OrleansCqrs
        // applies for its own grain storage puts them there (and is recorded, so running it again does nothing).
        await SchemaMigrator.ApplyAsync(
            postgresConnectionString,
            SchemaMigrationStartup.ReadStoreMigrations.Where(m => m.Id.EndsWith("_orleans_grain_storage", StringComparison.Ordinal)));
        return new JournaledGrainTarget(await BaselineSilo.StartAsync(
            "orleans-journaledgrain",
            silo => silo
                // StateStorage keeps the latest state and its version in one row, rewritten per confirmed batch: its
                // cost does not grow with the account's history. LogStorage would rewrite the account's whole log on
                // every write.
                .AddStateStorageBasedLogConsistencyProvider(LogConsistencyProvider)
                .AddAdoNetGrainStorage(GrainStorage, options =>
                {
                    options.Invariant = "Npgsql";
                    options.ConnectionString = postgresConnectionString;
                })));
    }

    public Task OpenAccountsAsync(IReadOnlyList<string> accountIds, int parallelism) =>
        _silo.OpenAccountsAsync(accountIds, parallelism, (grains, id) => grains.GetGrain<IJournaledAccountGrain>(id).Open());

    public async Task DepositAsync(string accountId, decimal amount)
    {
        if (await Grains.GetGrain<IJournaledAccountGrain>(accountId).Deposit(amount) is { } problem)
        {
            throw new InvalidOperationException($"{Name}: the deposit into {accountId} was refused: {problem}");
        }
    }

    /// <summary>
    /// Read from the grain storage itself, row by row as the log-consistency provider wrote it (its state is the
    /// grain's confirmed state), not from the grains: a deposit acknowledged but not written would be missing.
    /// </summary>
    public async Task<decimal> TotalBalanceAsync(IReadOnlyList<string> accountIds)
    {
        var storage = _silo.Services.GetRequiredKeyedService<IGrainStorage>(GrainStorage);
        // The state-storage provider names a grain's row after the grain class.
        var stateName = typeof(JournaledAccountGrain).FullName!;
        var balances = new decimal[accountIds.Count];
        await Parallel.ForAsync(0, accountIds.Count, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, _) =>
        {
            var stored = new GrainStateWithMetaDataAndETag<BaselineAccount>();
            await storage.ReadStateAsync(stateName, Grains.GetGrain<IJournaledAccountGrain>(accountIds[i]).GetGrainId(), stored);
            balances[i] = stored.RecordExists ? stored.StateAndMetaData.State.Balance : 0;
        });
        return balances.Sum();
    }

    public ValueTask DisposeAsync() => _silo.DisposeAsync();
}
