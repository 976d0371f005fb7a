using Microsoft.Data.Sqlite;
using Npgsql;
using OrleansCqrs.Framework.Migrations;

namespace OrleansCqrs.Framework.Tests.Migrations;

/// <summary>The migration journal keeps checksums: a migration edited after it was applied stops the start.</summary>
public sealed class SchemaMigratorTests(PostgresServerFixture server)
{
    private static readonly Migration Original = new("test/0001_things", "CREATE TABLE things (id integer PRIMARY KEY)");
    private static readonly Migration Edited = new("test/0001_things", "CREATE TABLE things (id integer PRIMARY KEY, name text)");

    [Fact]
    public async Task Postgres_refuses_a_migration_changed_after_it_was_applied()
    {
        var connectionString = await server.Server.CreateDatabaseAsync("migrations");
        await SchemaMigrator.ApplyAsync(connectionString, [Original]);
        await SchemaMigrator.ApplyAsync(connectionString, [Original]);

        var changed = await Assert.ThrowsAsync<ChangedMigrationException>(() => SchemaMigrator.ApplyAsync(connectionString, [Edited]));

        Assert.Equal("test/0001_things", changed.MigrationId);
        Assert.Contains("never be edited", changed.Message, StringComparison.Ordinal);
        // The refusal left the migration lock free: the original still applies (as a no-op).
        await SchemaMigrator.ApplyAsync(connectionString, [Original]).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Postgres_journal_from_before_checksums_is_trusted_once_then_checked()
    {
        var connectionString = await server.Server.CreateDatabaseAsync("migrations-old");
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var old = new NpgsqlCommand(
                $"CREATE TABLE cqrs_schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL); {Original.Sql}; " +
                "INSERT INTO cqrs_schema_migrations VALUES ('test/0001_things', '2026-01-01')",
                connection);
            await old.ExecuteNonQueryAsync();
        }

        await SchemaMigrator.ApplyAsync(connectionString, [Original]);

        await Assert.ThrowsAsync<ChangedMigrationException>(() => SchemaMigrator.ApplyAsync(connectionString, [Edited]));
    }

    [Fact]
    public async Task Sqlite_refuses_a_migration_changed_after_it_was_applied()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("orleanscqrs-migrations-").FullName, "test.db");
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        await SchemaMigrator.ApplyAsync(connection, [Original]);
        await SchemaMigrator.ApplyAsync(connection, [Original]);

        var changed = await Assert.ThrowsAsync<ChangedMigrationException>(() => SchemaMigrator.ApplyAsync(connection, [Edited]));

        Assert.Equal("test/0001_things", changed.MigrationId);
    }

    [Fact]
    public void Line_endings_do_not_change_a_checksum()
    {
        Assert.Equal(new Migration("m", "A\nB\n").Checksum, new Migration("m", "A\r\nB\r\n").Checksum);
        Assert.NotEqual(Original.Checksum, Edited.Checksum);
    }
}
