using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace OrleansCqrs.Framework.Migrations;

/// <summary>
/// Applies migrations not yet recorded in <c>cqrs_schema_migrations</c>, each in its own transaction with its record.
/// Several processes may start at once (silos of one cluster): PostgreSQL serialises them with an advisory lock,
/// SQLite with its write lock, so every migration runs exactly once.
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

    public static async Task ApplyAsync(NpgsqlDataSource dataSource, IEnumerable<Migration> migrations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection))
        {
            lockCommand.Parameters.AddWithValue("key", PostgresMigrationLockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            await ApplyAsync(connection, migrations, IsolationLevel.ReadCommitted, cancellationToken);
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            unlock.Parameters.AddWithValue("key", PostgresMigrationLockKey);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    public static async Task ApplyAsync(SqliteConnection connection, IEnumerable<Migration> migrations, CancellationToken cancellationToken = default)
    {
        // Serializable is BEGIN IMMEDIATE in Microsoft.Data.Sqlite: the write lock is taken before the journal is read.
        await ApplyAsync((DbConnection)connection, migrations, IsolationLevel.Serializable, cancellationToken);
    }

    private static async Task ApplyAsync(DbConnection connection, IEnumerable<Migration> migrations, IsolationLevel isolation, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, null, CreateJournal, cancellationToken);
        foreach (var migration in migrations.OrderBy(m => m.Id, StringComparer.Ordinal))
        {
            await using var transaction = await connection.BeginTransactionAsync(isolation, cancellationToken);
            await using (var check = connection.CreateCommand())
            {
                check.Transaction = transaction;
                check.CommandText = "SELECT count(*) FROM cqrs_schema_migrations WHERE id = @id";
                AddParameter(check, "id", migration.Id);
                if (Convert.ToInt64(await check.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0)
                {
                    continue;
                }
            }

            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
            await using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO cqrs_schema_migrations (id, applied_at) VALUES (@id, @at)";
                AddParameter(record, "id", migration.Id);
                AddParameter(record, "at", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
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
