using Microsoft.Data.Sqlite;
using OrleansCqrs.Framework.EventStore.Postgres;
using OrleansCqrs.Framework.EventStore.Sqlite;
using OrleansCqrs.Framework.Migrations;

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
            StoreKind.Postgres => MigratePostgresAsync(settings.RequirePostgres(), settings.Roles, cancellationToken),
            StoreKind.Sqlite => MigrateSqliteAsync(settings, contentRoot, cancellationToken),
            _ => Task.CompletedTask,
        };
    }

    private static async Task MigratePostgresAsync(string connectionString, DatabaseRoleSettings roles, CancellationToken cancellationToken)
    {
        await SchemaMigrator.ApplyAsync(connectionString, [.. PostgresEventStore.Migrations, .. OrleansPostgres], cancellationToken);
        await PostgresEventStore.AlignLogClockAsync(connectionString, cancellationToken);
        await PostgresRoles.ApplyAsync(connectionString, roles, cancellationToken);
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
