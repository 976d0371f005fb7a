using System.Globalization;

namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>
/// Every system of the comparison, in the order of the table: OrleansCqrs, what users would pick instead, the actor
/// framework's and the database's own limits, then OrleansCqrs end to end over HTTP as a client sees it.
/// </summary>
public static class ComparedSystems
{
    public const string OrleansCqrsPostgres = "orleanscqrs-postgres";
    public const string OrleansCqrsSqlite = "orleanscqrs-sqlite";
    public const string OrleansCqrsInMemory = "orleanscqrs-in-memory";
    public const string MartenFetchForWriting = "marten-fetch-for-writing";
    public const string MartenQuickAppend = "marten-quick-append";
    public const string JournaledGrain = "orleans-journaledgrain";
    public const string InMemoryOrleans = "orleans-in-memory";
    public const string PostgresInsert = "postgres-insert";
    public const string PostgresBatchedInsert = "postgres-batched-insert";

    /// <summary>The systems OrleansCqrs's rate is divided by in the ratios.</summary>
    public static IReadOnlyList<string> Baselines { get; } = [MartenFetchForWriting, MartenQuickAppend, JournaledGrain, InMemoryOrleans, OrleansCqrsInMemory, PostgresInsert, PostgresBatchedInsert];

    public static IReadOnlyList<ComparedSystem> All { get; } =
    [
        new(OrleansCqrsPostgres, "commands", "OrleansCqrs on PostgreSQL, one silo, through the grain client",
            Commands(round => OrleansCqrsTarget.StartPostgresAsync(round.Database, round.Options.SnapshotEvery))),
        new(OrleansCqrsSqlite, "commands", "OrleansCqrs on SQLite (the embedded default), one silo, through the grain client",
            Commands(round => OrleansCqrsTarget.StartSqliteAsync(round.Options.SnapshotEvery))),
        new(OrleansCqrsInMemory, "commands", "OrleansCqrs on its in-memory store: the same silo and projections, nothing durable",
            Commands(round => OrleansCqrsTarget.StartInMemoryAsync(round.Options.SnapshotEvery))),
        new(MartenFetchForWriting, "commands", "Marten's recommended path: FetchForWriting with an inline snapshot, its default append mode",
            Commands(round => MartenTarget.StartAsync(round.Database, MartenMode.FetchForWriting))),
        new(MartenQuickAppend, "commands", "Marten's fastest path: quick append, no snapshot (the account rebuilt from its events)",
            Commands(round => MartenTarget.StartAsync(round.Database, MartenMode.QuickAppend))),
        new(JournaledGrain, "commands", "Orleans JournaledGrain, stock StateStorage log consistency over Orleans' ADO.NET grain storage on PostgreSQL",
            Commands(round => JournaledGrainTarget.StartAsync(round.Database))),
        new(InMemoryOrleans, "commands", "Orleans alone: grain state in memory grain storage, each event on a memory stream to a projection grain",
            InMemoryOrleansAsync),
        new(PostgresInsert, "rows", "PostgreSQL: one single-row INSERT per transaction, event-log-shaped table",
            async round => Rows(await RawInsertScenario.RunAsync(round.Database, round.Options.InsertConnections, round.WarmUp, round.Measured, round.Progress(PostgresInsert)))),
        new(PostgresBatchedInsert, "rows", "PostgreSQL: many rows per INSERT and transaction, event-log-shaped table",
            async round => Rows(await BatchedInsertScenario.RunAsync(
                round.Database, round.Options.BatchConnections, round.Options.BatchRows, round.WarmUp, round.Measured, round.Progress(PostgresBatchedInsert)))),
        new("http-embedded", "commands", "OrleansCqrs end to end: the app as a process (embedded, SQLite), authenticated HTTP deposits", EmbeddedHttpAsync),
        new("http-cluster", "commands", "OrleansCqrs end to end: 3 silo processes + 1 front end on PostgreSQL, authenticated HTTP deposits", ClusterHttpAsync),
    ];

    /// <summary>The systems <paramref name="names"/> asks for (<c>all</c>, or names separated by commas), in table order.</summary>
    public static IReadOnlyList<ComparedSystem> Select(string names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names == "all")
        {
            return All;
        }

        var wanted = names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = wanted.Where(name => All.All(system => system.Name != name)).ToArray();
        if (unknown.Length > 0)
        {
            throw new ArgumentException($"--systems names {string.Join(", ", unknown)}; known: {string.Join(", ", All.Select(s => s.Name))}.");
        }

        return All.Where(system => wanted.Contains(system.Name)).ToArray();
    }

    private static Func<ComparisonRound, Task<SystemMeasurement>> Commands(Func<ComparisonRound, Task<ICommandTarget>> start) => async round =>
    {
        await using var target = await start(round);
        await target.OpenAccountsAsync(round.Accounts, round.Options.Callers);
        var result = await CommandLoad.RunAsync(target, round.Accounts, round.Options.Callers, round.WarmUp, round.Measured, round.Progress(target.Name));
        return new SystemMeasurement(result, target.Conflicts, 0);
    };

    private static Func<ComparisonRound, Task<SystemMeasurement>> Commands<T>(Func<ComparisonRound, Task<T>> start)
        where T : ICommandTarget => Commands(async round => (ICommandTarget)await start(round));

    /// <summary>As <see cref="Commands"/>, then waits until the projections folded every deposit the stream carried.</summary>
    private static async Task<SystemMeasurement> InMemoryOrleansAsync(ComparisonRound round)
    {
        await using var target = await InMemoryOrleansTarget.StartAsync();
        await target.OpenAccountsAsync(round.Accounts, round.Options.Callers);
        var result = await CommandLoad.RunAsync(target, round.Accounts, round.Options.Callers, round.WarmUp, round.Measured, round.Progress(target.Name));
        await target.AwaitProjectionsAsync(round.Accounts, TimeSpan.FromMinutes(1));
        Console.WriteLine($"[compare]   {target.Name}: every deposit reached its projection; {target.PublishWaits:N0} publishes waited for room in a full stream queue");
        return new SystemMeasurement(result, target.Conflicts, 0);
    }

    private static SystemMeasurement Rows(ThroughputResult result) => new(result, 0, 0);

    /// <summary>The app as users start it (embedded mode on SQLite, authentication on), in a data folder of its own.</summary>
    private static async Task<SystemMeasurement> EmbeddedHttpAsync(ComparisonRound round)
    {
        var data = Directory.CreateTempSubdirectory("orleanscqrs-compare-http-").FullName;
        try
        {
            var store = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["OrleansCqrs__Store"] = "Sqlite",
                ["OrleansCqrs__DataDirectory"] = data,
                ["OrleansCqrs__SnapshotEvery"] = round.Options.SnapshotEvery.ToString(CultureInfo.InvariantCulture),
            };
            var failed = 0L;
            var (result, _) = await HttpScenario.RunAsync(
                store, authenticated: true, $"r{round.Round}", round.Options.Accounts, round.Options.HttpCallers, round.WarmUp, round.Measured, round.Progress("http-embedded"),
                () => Interlocked.Increment(ref failed));
            return new SystemMeasurement(result, 0, Interlocked.Read(ref failed));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>The local cluster as scripts/local-cluster.sh runs it: three silos, one front end, a database of its own.</summary>
    private static async Task<SystemMeasurement> ClusterHttpAsync(ComparisonRound round)
    {
        var cluster = await ClusterScenario.RunAsync(
            round.Server, 3, round.Options.Accounts, round.Options.HttpCallers, TimeSpan.FromSeconds(round.Options.ClusterWarmUp), round.Measured, progress: round.Progress("http-cluster"));
        return new SystemMeasurement(cluster.Commands, 0, cluster.Failed);
    }
}
