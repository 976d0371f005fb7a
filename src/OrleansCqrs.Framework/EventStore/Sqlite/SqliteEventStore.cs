using Microsoft.Data.Sqlite;
using OrleansCqrs.Framework.Migrations;

namespace OrleansCqrs.Framework.EventStore.Sqlite;

/// <summary>
/// The embedded event store on one SQLite file. SQLite has one writer at a time, so rowid order is commit order and
/// the global log needs no extra care; group commit turns many appends into one transaction and one sync.
/// </summary>
public sealed class SqliteEventStore : GroupCommitEventStore, ICommandOutcomeRetention
{
    private readonly string _connectionString;

    public SqliteEventStore(SqliteEventStoreOptions options)
        : base(options.GroupCommit)
    {
        var builder = new SqliteConnectionStringBuilder(options.ConnectionString)
        {
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
            Pooling = true,
        };
        _connectionString = builder.ConnectionString;
        var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (builder.Mode != SqliteOpenMode.Memory && !string.IsNullOrEmpty(directory))
        {
            PrivateDirectory.Create(directory);
        }
    }

    public static IReadOnlyList<Migration> Migrations { get; } =
        Migration.FromEmbeddedScripts(typeof(SqliteEventStore).Assembly, "Migrations/Sqlite");

    public Task MigrateAsync(CancellationToken cancellationToken = default) => Guard(async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        await SchemaMigrator.ApplyAsync(connection, Migrations, cancellationToken);
        return true;
    });

    public override Task<AppendResult?> FindCommandAsync(string streamId, Guid commandId, CancellationToken cancellationToken = default) =>
        Guard(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            return await FindCommandAsync(command, streamId, commandId, cancellationToken);
        });

    public override Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, long fromVersion, int maxCount, CancellationToken cancellationToken = default) =>
        Guard(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = SqliteSql.ReadStream;
            command.Parameters.AddWithValue("$stream", streamId);
            command.Parameters.AddWithValue("$from", fromVersion);
            command.Parameters.AddWithValue("$max", maxCount);
            return await ReadEventsAsync(command, cancellationToken);
        });

    public override Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default) =>
        Guard(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = SqliteSql.ReadAll;
            command.Parameters.AddWithValue("$after", afterPosition);
            command.Parameters.AddWithValue("$max", maxCount);
            return await ReadEventsAsync(command, cancellationToken);
        });

    public override Task<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) =>
        Guard(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = SqliteSql.HeadPosition;
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        });

    public Task<int> PurgeRejectionsAsync(DateTimeOffset recordedBefore, CancellationToken cancellationToken = default) =>
        Guard(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = SqliteSql.PurgeRejections;
            command.Parameters.AddWithValue("$before", recordedBefore.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            return await command.ExecuteNonQueryAsync(cancellationToken);
        });

    protected override void WriteBatch(IReadOnlyList<PendingAppend> batch)
    {
        var outcomes = GuardSync(() => WriteBatchOnce(batch));
        Complete(outcomes);
    }

    private List<(PendingAppend, AppendResult?, Exception?)> WriteBatchOnce(IReadOnlyList<PendingAppend> batch)
    {
        using var connection = Open();
        // deferred: false is BEGIN IMMEDIATE: the write lock is taken up front, so the checks below stay true.
        using var transaction = connection.BeginTransaction(deferred: false);
        using var find = connection.CreateCommand();
        using var current = connection.CreateCommand();
        using var insert = connection.CreateCommand();
        using var reject = connection.CreateCommand();
        find.CommandText = SqliteSql.FindCommand;
        var findStream = find.Parameters.Add("$stream", SqliteType.Text);
        var findCommand = find.Parameters.Add("$command", SqliteType.Blob);
        current.CommandText = SqliteSql.CurrentVersion;
        var currentStream = current.Parameters.Add("$stream", SqliteType.Text);
        insert.CommandText = SqliteSql.Insert;
        var p = (
            Stream: insert.Parameters.Add("$stream", SqliteType.Text),
            Version: insert.Parameters.Add("$version", SqliteType.Integer),
            Type: insert.Parameters.Add("$type", SqliteType.Text),
            Data: insert.Parameters.Add("$data", SqliteType.Text),
            Metadata: insert.Parameters.Add("$metadata", SqliteType.Text),
            Command: insert.Parameters.Add("$command", SqliteType.Blob),
            Fingerprint: insert.Parameters.Add("$fingerprint", SqliteType.Text));

        reject.CommandText = SqliteSql.InsertRejection;
        var r = (
            Stream: reject.Parameters.Add("$stream", SqliteType.Text),
            Command: reject.Parameters.Add("$command", SqliteType.Blob),
            Fingerprint: reject.Parameters.Add("$fingerprint", SqliteType.Text),
            Version: reject.Parameters.Add("$version", SqliteType.Integer),
            Outcome: reject.Parameters.Add("$outcome", SqliteType.Text));

        var outcomes = new List<(PendingAppend, AppendResult?, Exception?)>(batch.Count);
        foreach (var append in batch)
        {
            var request = append.Request;
            findStream.Value = request.StreamId;
            findCommand.Value = request.CommandId.ToByteArray();
            using (var reader = find.ExecuteReader())
            {
                if (reader.Read())
                {
                    outcomes.Add((append, ReadDuplicate(reader), null));
                    continue;
                }
            }

            currentStream.Value = request.StreamId;
            var version = (long)current.ExecuteScalar()!;
            if (version != request.ExpectedVersion)
            {
                outcomes.Add((append, null, new WrongExpectedVersionException(request.StreamId, request.ExpectedVersion, version)));
                continue;
            }

            if (request.RejectionOutcome is { } outcome)
            {
                r.Stream.Value = request.StreamId;
                r.Command.Value = request.CommandId.ToByteArray();
                r.Fingerprint.Value = request.CommandFingerprint is null ? DBNull.Value : request.CommandFingerprint;
                r.Version.Value = version;
                r.Outcome.Value = outcome;
                reject.ExecuteNonQuery();
                outcomes.Add((append, new AppendResult(version, 0, IsDuplicate: false, request.CommandFingerprint, outcome), null));
                continue;
            }

            var savepoint = $"append_{outcomes.Count}";
            transaction.Save(savepoint);
            try
            {
                long position = 0;
                for (var n = 0; n < request.Events.Count; n++)
                {
                    var last = n == request.Events.Count - 1;
                    var e = request.Events[n];
                    p.Stream.Value = request.StreamId;
                    p.Version.Value = request.ExpectedVersion + n + 1;
                    p.Type.Value = e.Type;
                    p.Data.Value = e.Data;
                    p.Metadata.Value = e.Metadata;
                    p.Command.Value = last ? request.CommandId.ToByteArray() : DBNull.Value;
                    p.Fingerprint.Value = last && request.CommandFingerprint is not null ? request.CommandFingerprint : DBNull.Value;
                    position = (long)insert.ExecuteScalar()!;
                }

                transaction.Release(savepoint);
                outcomes.Add((append, new AppendResult(request.ExpectedVersion + request.Events.Count, position, IsDuplicate: false, request.CommandFingerprint), null));
            }
            catch (SqliteException ex) when (!IsUnavailable(ex))
            {
                // Only this append is at fault (a constraint, say); the rest of the batch goes on.
                transaction.Rollback(savepoint);
                outcomes.Add((append, null, ex));
            }
        }

        transaction.Commit();
        return outcomes;
    }

    private static AppendResult ReadDuplicate(SqliteDataReader reader) =>
        new(reader.GetInt64(0), reader.GetInt64(1), IsDuplicate: true, reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3));

    private static async Task<AppendResult?> FindCommandAsync(SqliteCommand command, string streamId, Guid commandId, CancellationToken cancellationToken)
    {
        command.CommandText = SqliteSql.FindCommand;
        command.Parameters.Clear();
        command.Parameters.AddWithValue("$stream", streamId);
        command.Parameters.AddWithValue("$command", commandId.ToByteArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadDuplicate(reader) : null;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var pragmas = connection.CreateCommand();
            pragmas.CommandText = SqliteSql.ConnectionPragmas;
            pragmas.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragmas = connection.CreateCommand();
            pragmas.CommandText = SqliteSql.ConnectionPragmas;
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task<IReadOnlyList<RecordedEvent>> ReadEventsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var events = new List<RecordedEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new RecordedEvent(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4), reader.GetString(5)));
        }

        return events;
    }

    private static async Task<T> Guard<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (SqliteException ex) when (IsUnavailable(ex))
        {
            throw new EventStoreUnavailableException($"The SQLite event store is unavailable: {ex.Message}", ex);
        }
    }

    private static T GuardSync<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (SqliteException ex) when (IsUnavailable(ex))
        {
            throw new EventStoreUnavailableException($"The SQLite event store is unavailable: {ex.Message}", ex);
        }
    }

    // Busy or locked past the timeout, cannot open, disk I/O, disk full, read-only file.
    private static bool IsUnavailable(SqliteException exception) =>
        (exception.SqliteErrorCode & 0xFF) is 5 or 6 or 8 or 10 or 13 or 14;
}
