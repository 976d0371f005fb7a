using Microsoft.Data.Sqlite;
using OrleansCqrs.Framework.EventStore.Postgres;
using OrleansCqrs.Framework.EventStore.Sqlite;
using OrleansCqrs.Framework.Migrations;
using OrleansCqrs.Framework.Projections.Rows;

namespace OrleansCqrs.Hosting;

/// <summary>
/// Brings the database schema up to date when the silo starts: at <see cref="ServiceLifecycleStage.RuntimeInitialize"/>,
/// before Orleans reads its statements from OrleansQuery (membership at RuntimeGrainServices, grain storage at
/// ApplicationServices). <see cref="MigrateAsync(OrleansCqrsSettings, string, CancellationToken)"/> does the same on
/// demand (the silo host's <c>migrate</c> command), and on PostgreSQL also creates and grants the roles of
/// <see cref="OrleansCqrsSettings.Roles"/>. With <see cref="OrleansCqrsSettings.MigrateAtStartup"/> off the silo leaves
/// the schema alone: in a cluster it connects as a role that may not change it.
/// </summary>
public sealed class SchemaMigrationStartup(OrleansCqrsSettings settings, string contentRoot) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>Orleans' ADO.NET statements: grain storage on SQLite.</summary>
    private static readonly IReadOnlyList<Migration> OrleansSqlite =
        Migration.FromEmbeddedScripts(typeof(SchemaMigrationStartup).Assembly, "Migrations/Sqlite");

    /// <summary>Orleans' ADO.NET statements: grain storage, clustering and reminders on PostgreSQL.</summary>
    private static readonly IReadOnlyList<Migration> OrleansPostgres =
        Migration.FromEmbeddedScripts(typeof(SchemaMigrationStartup).Assembly, "Migrations/Postgres");

    /// <summary>The event log's database: the log, and Orleans' tables (snapshots and process state, clustering, reminders).</summary>
    public static IReadOnlyList<Migration> EventLogMigrations { get; } = [.. PostgresEventStore.Migrations, .. OrleansPostgres];

    /// <summary>The read models' database: projection rows, and Orleans' grain storage for projection states.</summary>
    public static IReadOnlyList<Migration> ReadStoreMigrations { get; } =
        [.. PostgresProjectionRowStore.Migrations, .. OrleansPostgres.Where(m => m.Id.EndsWith("_orleans_grain_storage", StringComparison.Ordinal))];

    public void Participate(ISiloLifecycle lifecycle)
    {
        if (settings.MigrateAtStartup)
        {
            lifecycle.Subscribe(nameof(SchemaMigrationStartup), ServiceLifecycleStage.RuntimeInitialize, ct => MigrateAsync(settings, contentRoot, ct));
        }
    }

    public static Task MigrateAsync(OrleansCqrsSettings settings, string contentRoot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Store switch
        {
            StoreKind.Postgres => MigratePostgresAsync(settings, cancellationToken),
            StoreKind.Sqlite => MigrateSqliteAsync(settings, contentRoot, cancellationToken),
            _ => Task.CompletedTask,
        };
    }

    /// <summary>
    /// One database, or the event log's and the read store's (<see cref="OrleansCqrsSettings.ReadStoreConnectionString"/>),
    /// each with its own tables and journal, and the silo role granted on both; front ends never reach the read store.
    /// </summary>
    private static async Task MigratePostgresAsync(OrleansCqrsSettings settings, CancellationToken cancellationToken)
    {
        var events = settings.RequirePostgres();
        if (!settings.HasSeparateReadStore)
        {
            await SchemaMigrator.ApplyAsync(events, EventLogMigrations.Concat(ReadStoreMigrations).DistinctBy(m => m.Id), cancellationToken);
            await PostgresEventStore.AlignLogClockAsync(events, cancellationToken);
            await PostgresRoles.ApplyAsync(events, settings.Roles, cancellationToken);
            return;
        }

        await SchemaMigrator.ApplyAsync(events, EventLogMigrations, cancellationToken);
        await PostgresEventStore.AlignLogClockAsync(events, cancellationToken);
        await PostgresRoles.ApplyAsync(events, settings.Roles, cancellationToken);
        var readStore = settings.RequireReadStore();
        await SchemaMigrator.ApplyAsync(readStore, ReadStoreMigrations, cancellationToken);
        await PostgresRoles.ApplyAsync(
            readStore,
            new DatabaseRoleSettings { Silo = settings.Roles.Silo, SiloPasswordFile = settings.Roles.SiloPasswordFile },
            cancellationToken);
    }

    private static async Task MigrateSqliteAsync(OrleansCqrsSettings settings, string contentRoot, CancellationToken cancellationToken)
    {
        await MigrateSqliteFileAsync(settings.SqliteConnectionString(contentRoot, SiloSetup.EventsFile), SqliteEventStore.Migrations, cancellationToken);
        await MigrateSqliteFileAsync(settings.SqliteConnectionString(contentRoot, SiloSetup.GrainsFile), OrleansSqlite, cancellationToken);
    }

    private static async Task MigrateSqliteFileAsync(string connectionString, IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        PrivateDirectory.Create(Path.GetDirectoryName(Path.GetFullPath(builder.DataSource))!);
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL";
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }

        await SchemaMigrator.ApplyAsync(connection, migrations, cancellationToken);
    }
}
