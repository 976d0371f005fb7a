using Microsoft.Data.Sqlite;

namespace OrleansCqrs.Framework.Projections.Rows;

/// <summary>
/// Projection rows on SQLite (tables of Migrations/Sqlite/0010_projection_rows.sql, in the events file). A save is
/// one immediate transaction: the etag check, the checkpoint, and the changed rows only. Microsoft.Data.Sqlite does
/// its I/O synchronously, so the work runs off the caller's (grain) thread.
/// </summary>
public sealed class SqliteProjectionRowStore : IProjectionRowStore
{
    private readonly string _connectionString;

    public SqliteProjectionRowStore(string connectionString) =>
        _connectionString = new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = 5, Pooling = true }.ConnectionString;

    public Task<StoredProjection?> LoadAsync(string projectionId, CancellationToken cancellationToken = default) => Task.Run(() =>
    {
        using var connection = Open();
        // A read transaction: one snapshot for the checkpoint and the rows.
        using var transaction = connection.BeginTransaction(deferred: true);
        using var checkpoint = Command(connection, transaction, "SELECT position, header, stuck_error, etag, retired FROM cqrs_projections WHERE projection_id = $projection");
        checkpoint.Parameters.AddWithValue("$projection", projectionId);
        using var reader = checkpoint.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var (position, header, stuck, etag, retired) =
            (reader.GetInt64(0), (byte[])reader[1], reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4) != 0);
        using var select = Command(connection, transaction, "SELECT row_key, data FROM cqrs_projection_rows WHERE projection_id = $projection");
        select.Parameters.AddWithValue("$projection", projectionId);
        var rows = new List<ProjectionRow>();
        using var rowReader = select.ExecuteReader();
        while (rowReader.Read())
        {
            rows.Add(new ProjectionRow(rowReader.GetString(0), (byte[])rowReader[1]));
        }

        return new StoredProjection(position, header, stuck, etag, retired, rows);
    }, cancellationToken);

    public Task<long> SaveAsync(ProjectionSave save, CancellationToken cancellationToken = default) => Task.Run(() =>
    {
        ArgumentNullException.ThrowIfNull(save);
        using var connection = Open();
        // deferred: false is BEGIN IMMEDIATE: the write lock is taken before the etag is checked.
        using var transaction = connection.BeginTransaction(deferred: false);
        using (var check = Command(connection, transaction, "SELECT etag, retired FROM cqrs_projections WHERE projection_id = $projection"))
        {
            check.Parameters.AddWithValue("$projection", save.ProjectionId);
            using var reader = check.ExecuteReader();
            var (etag, retired) = reader.Read() ? (reader.GetInt64(0), reader.GetInt64(1) != 0) : (0L, false);
            if (etag != save.ExpectedEtag || retired)
            {
                throw new ProjectionConflictException($"{save.ProjectionId}: expected etag {save.ExpectedEtag}, stored {etag}{(retired ? " (retired)" : "")}.");
            }
        }

        using (var checkpoint = Command(connection, transaction, """
            INSERT INTO cqrs_projections (projection_id, position, header, stuck_error, etag) VALUES ($projection, $position, $header, $stuck, $etag)
            ON CONFLICT (projection_id) DO UPDATE SET position = excluded.position, header = excluded.header, stuck_error = excluded.stuck_error,
                etag = excluded.etag, saved_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
            """))
        {
            checkpoint.Parameters.AddWithValue("$projection", save.ProjectionId);
            checkpoint.Parameters.AddWithValue("$position", save.Position);
            checkpoint.Parameters.AddWithValue("$header", save.Header);
            checkpoint.Parameters.AddWithValue("$stuck", (object?)save.StuckError ?? DBNull.Value);
            checkpoint.Parameters.AddWithValue("$etag", save.ExpectedEtag + 1);
            checkpoint.ExecuteNonQuery();
        }

        using (var upsert = Command(connection, transaction, """
            INSERT INTO cqrs_projection_rows (projection_id, row_key, data) VALUES ($projection, $key, $data)
            ON CONFLICT (projection_id, row_key) DO UPDATE SET data = excluded.data
            """))
        {
            upsert.Parameters.AddWithValue("$projection", save.ProjectionId);
            var key = upsert.Parameters.Add("$key", SqliteType.Text);
            var data = upsert.Parameters.Add("$data", SqliteType.Blob);
            foreach (var row in save.Upserts)
            {
                (key.Value, data.Value) = (row.Key, row.Data);
                upsert.ExecuteNonQuery();
            }
        }

        using (var delete = Command(connection, transaction, "DELETE FROM cqrs_projection_rows WHERE projection_id = $projection AND row_key = $key"))
        {
            delete.Parameters.AddWithValue("$projection", save.ProjectionId);
            var key = delete.Parameters.Add("$key", SqliteType.Text);
            foreach (var removed in save.Deletes)
            {
                key.Value = removed;
                delete.ExecuteNonQuery();
            }
        }

        transaction.Commit();
        return save.ExpectedEtag + 1;
    }, cancellationToken);

    public Task RetireAsync(string projectionId, CancellationToken cancellationToken = default) => Task.Run(() =>
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        using var retire = Command(connection, transaction, """
            DELETE FROM cqrs_projection_rows WHERE projection_id = $projection;
            INSERT INTO cqrs_projections (projection_id, position, header, etag, retired) VALUES ($projection, 0, x'', 0, 1)
            ON CONFLICT (projection_id) DO UPDATE SET position = 0, header = x'', stuck_error = NULL, retired = 1;
            """);
        retire.Parameters.AddWithValue("$projection", projectionId);
        retire.ExecuteNonQuery();
        transaction.Commit();
    }, cancellationToken);

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var pragmas = connection.CreateCommand();
            pragmas.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;";
            pragmas.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
