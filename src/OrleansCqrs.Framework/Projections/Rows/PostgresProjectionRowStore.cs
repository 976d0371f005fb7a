using System.Data;
using Npgsql;
using NpgsqlTypes;
using OrleansCqrs.Framework.Migrations;
using OrleansCqrs.Framework.Postgres;

namespace OrleansCqrs.Framework.Projections.Rows;

/// <summary>
/// Projection rows on PostgreSQL (tables of Migrations/ReadModels/Postgres, <see cref="Migrations"/>: a read store,
/// which may be another database than the event log's). A save is one statement in
/// one round trip: the checkpoint upsert guarded by the etag, and the changed rows upserted and removed from arrays
/// (unnest), only if the checkpoint was written; one statement is one transaction.
/// </summary>
public sealed class PostgresProjectionRowStore : IProjectionRowStore, IAsyncDisposable, IDisposable
{
    private const string Save = """
        WITH checkpoint AS (
            INSERT INTO cqrs_projections AS p (projection_id, position, header, stuck_error, etag)
            VALUES (@projection, @position, @header, @stuck, @etag + 1)
            ON CONFLICT (projection_id) DO UPDATE
                SET position = excluded.position, header = excluded.header, stuck_error = excluded.stuck_error,
                    etag = excluded.etag, saved_at = now()
                WHERE p.etag = @etag AND NOT p.retired
            RETURNING p.etag
        ), upserted AS (
            INSERT INTO cqrs_projection_rows (projection_id, row_key, data)
            SELECT @projection, u.row_key, u.data FROM unnest(@keys, @data) AS u(row_key, data)
            WHERE EXISTS (SELECT 1 FROM checkpoint)
            ON CONFLICT (projection_id, row_key) DO UPDATE SET data = excluded.data
            RETURNING 1
        ), deleted AS (
            DELETE FROM cqrs_projection_rows
            WHERE projection_id = @projection AND row_key = ANY(@deleted) AND EXISTS (SELECT 1 FROM checkpoint)
            RETURNING 1
        )
        SELECT (SELECT etag FROM checkpoint), (SELECT count(*) FROM upserted), (SELECT count(*) FROM deleted)
        """;

    private const string Retire = """
        WITH gone AS (DELETE FROM cqrs_projection_rows WHERE projection_id = @projection)
        INSERT INTO cqrs_projections (projection_id, position, header, etag, retired) VALUES (@projection, 0, '', 0, true)
        ON CONFLICT (projection_id) DO UPDATE SET position = 0, header = '', stuck_error = NULL, retired = true, saved_at = now()
        """;

    private readonly NpgsqlDataSource _dataSource;

    public PostgresProjectionRowStore(string connectionString) => _dataSource = NpgsqlDataSource.Create(NpgsqlConnectionDefaults.Apply(connectionString));

    /// <summary>The tables of the rows and checkpoints, for whichever database holds the read models.</summary>
    public static IReadOnlyList<Migration> Migrations { get; } =
        Migration.FromEmbeddedScripts(typeof(PostgresProjectionRowStore).Assembly, "Migrations/ReadModels/Postgres");

    /// <summary>Applies <see cref="Migrations"/> to the database of <paramref name="connectionString"/>.</summary>
    public static Task MigrateAsync(string connectionString, CancellationToken cancellationToken = default) =>
        SchemaMigrator.ApplyAsync(connectionString, Migrations, cancellationToken);

    public Task<StoredProjection?> LoadAsync(string projectionId, CancellationToken cancellationToken = default) =>
        Guard(() => LoadOnceAsync(projectionId, cancellationToken));

    public Task<long> SaveAsync(ProjectionSave save, CancellationToken cancellationToken = default) =>
        Guard(() => SaveOnceAsync(save, cancellationToken));

    public Task RetireAsync(string projectionId, CancellationToken cancellationToken = default) =>
        Guard(async () =>
        {
            await using var command = _dataSource.CreateCommand(Retire);
            command.Parameters.AddWithValue("projection", projectionId);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        });

    /// <summary>
    /// An unreachable database is told as <see cref="ReadStoreUnavailableException"/>, whoever asked. The first such
    /// failure drops the pool's idle connections and tries once more: after the server restarts, every connection
    /// pooled before is dead, and each would otherwise fail one call (a deactivating projection's last save among them).
    /// Trying a save again is safe: if the first one landed after all, its etag refuses the second.
    /// </summary>
    private async Task<T> Guard<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception ex) when (ReadStoreUnavailableException.IsUnavailable(ex))
        {
            _dataSource.Clear();
        }

        try
        {
            return await action();
        }
        catch (Exception ex) when (ReadStoreUnavailableException.IsUnavailable(ex))
        {
            throw ReadStoreUnavailableException.From(ex);
        }
    }

    private async Task<StoredProjection?> LoadOnceAsync(string projectionId, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        // One snapshot for the checkpoint and the rows: a save between the two reads cannot mix two states.
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        long position, etag;
        byte[] header;
        string? stuck;
        bool retired;
        await using (var checkpoint = new NpgsqlCommand("SELECT position, header, stuck_error, etag, retired FROM cqrs_projections WHERE projection_id = @projection", connection, transaction))
        {
            checkpoint.Parameters.AddWithValue("projection", projectionId);
            await using var reader = await checkpoint.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            (position, header, stuck, etag, retired) =
                (reader.GetInt64(0), (byte[])reader[1], reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt64(3), reader.GetBoolean(4));
        }

        var rows = new List<ProjectionRow>();
        await using (var select = new NpgsqlCommand("SELECT row_key, data FROM cqrs_projection_rows WHERE projection_id = @projection", connection, transaction))
        {
            select.Parameters.AddWithValue("projection", projectionId);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new ProjectionRow(reader.GetString(0), (byte[])reader[1]));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return new StoredProjection(position, header, stuck, etag, retired, rows);
    }

    private async Task<long> SaveOnceAsync(ProjectionSave save, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(save);
        await using var command = _dataSource.CreateCommand(Save);
        command.Parameters.AddWithValue("projection", save.ProjectionId);
        command.Parameters.AddWithValue("position", save.Position);
        command.Parameters.AddWithValue("header", save.Header);
        command.Parameters.AddWithValue("stuck", (object?)save.StuckError ?? DBNull.Value).NpgsqlDbType = NpgsqlDbType.Text;
        command.Parameters.AddWithValue("etag", save.ExpectedEtag);
        command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = save.Upserts.Select(r => r.Key).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("data", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = save.Upserts.Select(r => r.Data).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("deleted", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = save.Deletes.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.IsDBNull(0)
            ? throw new ProjectionConflictException($"{save.ProjectionId}: the stored etag is not {save.ExpectedEtag}, or the projection was retired.")
            : reader.GetInt64(0);
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();
}
