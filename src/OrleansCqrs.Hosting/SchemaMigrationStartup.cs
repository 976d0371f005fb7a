using Microsoft.Data.Sqlite;
using Npgsql;
using OrleansCqrs.Framework.EventStore.Postgres;
using OrleansCqrs.Framework.EventStore.Sqlite;
using OrleansCqrs.Framework.Migrations;

namespace OrleansCqrs.Hosting;

/// <summary>
/// Brings the database schema up to date when the silo starts, before Orleans' grain storage loads its statements
/// from OrleansQuery (which happens at <see cref="ServiceLifecycleStage.ApplicationServices"/>).
/// </summary>
internal sealed class SchemaMigrationStartup(OrleansCqrsSettings settings, string contentRoot) : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly IReadOnlyList<Migration> GrainStorageSqlite =
        Migration.FromEmbeddedScripts(typeof(SchemaMigrationStartup).Assembly, "Migrations/Sqlite");

    private static readonly IReadOnlyList<Migration> GrainStoragePostgres =
        Migration.FromEmbeddedScripts(typeof(SchemaMigrationStartup).Assembly, "Migrations/Postgres");

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SchemaMigrationStartup), ServiceLifecycleStage.RuntimeInitialize, MigrateAsync);

    public Task MigrateAsync(CancellationToken cancellationToken) => settings.Store switch
    {
        StoreKind.Postgres => MigratePostgresAsync(settings.RequirePostgres(), cancellationToken),
        StoreKind.Sqlite => MigrateSqliteAsync(cancellationToken),
        _ => Task.CompletedTask,
    };

    private static async Task MigratePostgresAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await SchemaMigrator.ApplyAsync(dataSource, [.. PostgresEventStore.Migrations, .. GrainStoragePostgres], cancellationToken);
    }

    private async Task MigrateSqliteAsync(CancellationToken cancellationToken)
    {
        await MigrateSqliteFileAsync(settings.SqliteConnectionString(contentRoot, SiloSetup.EventsFile), SqliteEventStore.Migrations, cancellationToken);
        await MigrateSqliteFileAsync(settings.SqliteConnectionString(contentRoot, SiloSetup.GrainsFile), GrainStorageSqlite, cancellationToken);
    }

    private static async Task MigrateSqliteFileAsync(string connectionString, IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(builder.DataSource))!);
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
