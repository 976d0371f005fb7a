using System.Data;
using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using OrleansCqrs.Framework.Postgres;

namespace OrleansCqrs.Framework.Migrations;

/// <summary>
/// Applies migrations not yet recorded in <c>cqrs_schema_migrations</c>, each in its own transaction with its record.
/// Several processes may start at once (silos of one cluster): PostgreSQL serialises them with an advisory lock,
/// SQLite with its write lock, so every migration runs exactly once. The journal keeps each migration's checksum, and
/// a migration edited after it was applied stops the start with <see cref="ChangedMigrationException"/>: the database
/// would otherwise silently keep the old schema or statements.
/// </summary>
public static class SchemaMigrator
{
    private const long PostgresMigrationLockKey = 0x4F43_5152_534D_4947; // "OCQRSMIG"

    private const string CreateJournal = """
        CREATE TABLE IF NOT EXISTS cqrs_schema_migrations (
            id         TEXT PRIMARY KEY,
            applied_at TEXT NOT NULL
        )
        """;

    /// <summary>
    /// On PostgreSQL, over a connection of its own (not pooled): the migration lock is a session lock, and a pooled
    /// session that failed to unlock would keep it and block every later migration.
    /// </summary>
    public static async Task ApplyAsync(string postgresConnectionString, IEnumerable<Migration> migrations, CancellationToken cancellationToken = default)
    {
        var builder = new NpgsqlConnectionStringBuilder(NpgsqlConnectionDefaults.Apply(postgresConnectionString)) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection))
        {
            lockCommand.Parameters.AddWithValue("key", PostgresMigrationLockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        // Closing the connection ends the session and so releases the lock, whatever happens here.
        await ExecuteAsync(connection, null, CreateJournal, cancellationToken);
        await ExecuteAsync(connection, null, "ALTER TABLE cqrs_schema_migrations ADD COLUMN IF NOT EXISTS checksum TEXT NULL", cancellationToken);
        await ApplyAsync(connection, migrations, IsolationLevel.ReadCommitted, cancellationToken);
    }

    public static async Task ApplyAsync(SqliteConnection connection, IEnumerable<Migration> migrations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await ExecuteAsync(connection, null, CreateJournal, cancellationToken);
        await using (var probe = connection.CreateCommand())
        {
            probe.CommandText = "SELECT count(*) FROM pragma_table_info('cqrs_schema_migrations') WHERE name = 'checksum'";
            if ((long)(await probe.ExecuteScalarAsync(cancellationToken))! == 0)
            {
                await ExecuteAsync(connection, null, "ALTER TABLE cqrs_schema_migrations ADD COLUMN checksum TEXT NULL", cancellationToken);
            }
        }

        // Serializable is BEGIN IMMEDIATE in Microsoft.Data.Sqlite: the write lock is taken before the journal is read.
        await ApplyAsync(connection, migrations, IsolationLevel.Serializable, cancellationToken);
    }

    private static async Task ApplyAsync(DbConnection connection, IEnumerable<Migration> migrations, IsolationLevel isolation, CancellationToken cancellationToken)
    {
        foreach (var migration in migrations.OrderBy(m => m.Id, StringComparer.Ordinal))
        {
            await using var transaction = await connection.BeginTransactionAsync(isolation, cancellationToken);
            var recorded = await ReadChecksumAsync(connection, transaction, migration.Id, cancellationToken);
            if (recorded is { Applied: true })
            {
                if (recorded.Value.Checksum is null)
                {
                    // Recorded before the journal kept checksums: trust the file as it is now, from here on.
                    await RecordAsync(connection, transaction, "UPDATE cqrs_schema_migrations SET checksum = @checksum WHERE id = @id", migration, cancellationToken);
                }
                else if (recorded.Value.Checksum != migration.Checksum)
                {
                    throw new ChangedMigrationException(migration.Id, recorded.Value.Checksum, migration.Checksum);
                }

                await transaction.CommitAsync(cancellationToken);
                continue;
            }

            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
            await RecordAsync(
                connection,
                transaction,
                "INSERT INTO cqrs_schema_migrations (id, applied_at, checksum) VALUES (@id, @at, @checksum)",
                migration,
                cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }

    private static async Task<(bool Applied, string? Checksum)?> ReadChecksumAsync(DbConnection connection, DbTransaction transaction, string id, CancellationToken cancellationToken)
    {
        await using var check = connection.CreateCommand();
        check.Transaction = transaction;
        check.CommandText = "SELECT checksum FROM cqrs_schema_migrations WHERE id = @id";
        AddParameter(check, "id", id);
        await using var reader = await check.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (true, reader.IsDBNull(0) ? null : reader.GetString(0)) : null;
    }

    private static async Task RecordAsync(DbConnection connection, DbTransaction transaction, string sql, Migration migration, CancellationToken cancellationToken)
    {
        await using var record = connection.CreateCommand();
        record.Transaction = transaction;
        record.CommandText = sql;
        AddParameter(record, "id", migration.Id);
        AddParameter(record, "at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        AddParameter(record, "checksum", migration.Checksum);
        await record.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
