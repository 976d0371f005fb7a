using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using OrleansCqrs.Framework.Migrations;
using OrleansCqrs.Framework.Postgres;

namespace OrleansCqrs.Framework.EventStore.Postgres;

/// <summary>
/// The event store on PostgreSQL. A batch is one transaction in one round trip: a single INSERT statement. Writers
/// never wait for each other: positions come from the writing transaction's id, and readers read only below the
/// oldest transaction still running (<see cref="PostgresSql.ReadBound"/>), so batches of every writer of every silo
/// commit in parallel and a reader still never skips a committed event.
/// </summary>
public sealed class PostgresEventStore : GroupCommitEventStore, ICommandOutcomeRetention
{
    // Readers and the group-commit writers share one pool. A pool (or unpooled connections) of the writers' own was
    // tried and measured at a third of the command throughput (3,400-3,900 instead of 11,000-13,000 commands/s,
    // five variants, docs/write-side.md): until that is understood, the writers take their connections here.
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _connectionString;

    public PostgresEventStore(PostgresEventStoreOptions options)
        : base(options.GroupCommit)
    {
        if (options.GroupCommit.MaxBatchEvents + AppendRequest.MaxEvents > MaxEventsPerTransaction)
        {
            // A batch stops taking appends at MaxBatchEvents, so it can end up to one append's events past it.
            throw new ArgumentOutOfRangeException(
                nameof(options),
                options.GroupCommit.MaxBatchEvents,
                $"GroupCommit.MaxBatchEvents plus {AppendRequest.MaxEvents} must stay below {MaxEventsPerTransaction}: an event's ordinal in its batch is the low 16 bits of its position.");
        }

        var given = NpgsqlConnectionDefaults.Apply(options.ConnectionString);
        var builder = new NpgsqlConnectionStringBuilder(given)
        {
            Timeout = (int)Math.Ceiling(options.ConnectTimeout.TotalSeconds),
            CommandTimeout = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds),
            // The append statement is planned once per connection rather than per batch (2 ms of a 5 ms batch).
            MaxAutoPrepare = Math.Max(16, new NpgsqlConnectionStringBuilder(given).MaxAutoPrepare),
            NoResetOnClose = true,
        };
        _connectionString = builder.ConnectionString;
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    /// <summary>The connection string its connections use, with our timeouts and defaults applied (tests).</summary>
    internal string ConnectionString => _connectionString;

    public static IReadOnlyList<Migration> Migrations { get; } =
        Migration.FromEmbeddedScripts(typeof(PostgresEventStore).Assembly, "Migrations/Postgres");

    /// <summary>Positions are (transaction id &lt;&lt; 16) + the event's ordinal in its batch, counted from 1.</summary>
    private const int MaxEventsPerTransaction = 1 << 16;

    public Task MigrateAsync(CancellationToken cancellationToken = default) => Guard(async () =>
    {
        await SchemaMigrator.ApplyAsync(_connectionString, Migrations, cancellationToken);
        await AlignLogClockAsync(_connectionString, cancellationToken);
        return true;
    });

    /// <summary>
    /// Keeps new positions above every stored one after a restore into a server with lower transaction ids (see
    /// <see cref="PostgresSql.AlignLogClock"/>); part of every migration run, a no-op on a healthy log.
    /// </summary>
    public static async Task AlignLogClockAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(NpgsqlConnectionDefaults.Apply(connectionString));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(PostgresSql.AlignLogClock, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override Task<AppendResult?> FindCommandAsync(string streamId, Guid commandId, CancellationToken cancellationToken = default) =>
        Guard(async () =>
        {
            await using var command = _dataSource.CreateCommand(PostgresSql.FindCommand);
            command.Parameters.AddWithValue("stream", streamId);
            command.Parameters.AddWithValue("command", commandId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                ? new AppendResult(reader.GetInt64(0), reader.GetInt64(1), IsDuplicate: true, NullableString(reader, 2), NullableString(reader, 3))
                : null;
        });

    public Task<int> PurgeRejectionsAsync(DateTimeOffset recordedBefore, CancellationToken cancellationToken = default) =>
        Guard(async () =>
        {
            await using var command = _dataSource.CreateCommand(PostgresSql.PurgeRejections);
            command.Parameters.AddWithValue("before", recordedBefore);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        });

    public override Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, long fromVersion, int maxCount, CancellationToken cancellationToken = default) =>
        Guard(async () =>
        {
            await using var command = _dataSource.CreateCommand(PostgresSql.ReadStream);
            command.Parameters.AddWithValue("stream", streamId);
            command.Parameters.AddWithValue("from", fromVersion);
            command.Parameters.AddWithValue("max", maxCount);
            return await ReadEventsAsync(command, cancellationToken);
        });

    public override Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default) =>
        Guard(async () =>
        {
            // Only below the oldest transaction still running: every row this snapshot shows there is final, and
            // nothing still in flight can land between them.
            await using var command = _dataSource.CreateCommand(PostgresSql.ReadAll);
            command.Parameters.AddWithValue("after", afterPosition);
            command.Parameters.AddWithValue("max", maxCount);
            return await ReadEventsAsync(command, cancellationToken);
        });

    public override Task<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) =>
        Guard(async () =>
        {
            await using var command = _dataSource.CreateCommand(PostgresSql.HeadPosition);
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        });

    protected override void WriteBatch(IReadOnlyList<PendingAppend> batch)
    {
        // Each failure below is retried at most once, and a retry can meet another of them (a fresh connection after
        // a restart, then a concurrent writer's commit): every attempt goes through the same clauses.
        var reconnected = false;
        var conflicted = false;
        while (true)
        {
            List<(PendingAppend Append, AppendResult? Result, Exception? Failure)> outcomes;
            try
            {
                outcomes = GuardSync(() => WriteBatchOnce(batch));
            }
            catch (PostgresException) when (batch.Count > 1)
            {
                // Something in one append broke the whole statement (a payload PostgreSQL refuses, or a second
                // activation of a grain appending to the same stream at the same time): write them one at a time so
                // that only the faulty one fails.
                WriteOneByOne(batch);
                return;
            }
            catch (EventStoreUnavailableException) when (!reconnected)
            {
                // A server restart leaves every pooled connection dead, and each would fail one batch in turn: drop
                // them all and try once more on a fresh one. Safe to repeat: if the batch did commit, its command ids
                // find it and every append is answered as the duplicate of its own commit.
                reconnected = true;
                _dataSource.Clear();
                continue;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && !conflicted)
            {
                // Another transaction appended to this stream (or recorded this command) while this one ran: once it
                // has committed, this append's checks give the answer an append behind it would have got.
                conflicted = true;
                continue;
            }

            Complete(outcomes);
            return;
        }
    }

    /// <summary>
    /// One round trip: one statement, which PostgreSQL runs as one implicit transaction that commits (and is flushed)
    /// before its reply. Results count only once the reader is drained.
    /// </summary>
    private List<(PendingAppend, AppendResult?, Exception?)> WriteBatchOnce(IReadOnlyList<PendingAppend> batch)
    {
        using var connection = _dataSource.OpenConnection();
        using var command = new NpgsqlBatch(connection);
        command.BatchCommands.Add(BuildAppendCommand(batch));

        var outcomes = new List<(PendingAppend, AppendResult?, Exception?)>(batch.Count);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var append = batch[(int)reader.GetInt64(0) - 1];
                outcomes.Add((append, ReadOutcome(reader, append.Request, out var failure), failure));
            }

            while (reader.NextResult())
            {
                // Drain to the end: the commit is confirmed by the final reply.
            }
        }

        return outcomes;
    }

    private static AppendResult? ReadOutcome(DbDataReader reader, AppendRequest request, out Exception? failure)
    {
        failure = null;
        if (!reader.IsDBNull(2))
        {
            return new AppendResult(reader.GetInt64(2), reader.GetInt64(3), IsDuplicate: true, NullableString(reader, 4));
        }

        if (!reader.IsDBNull(7))
        {
            return new AppendResult(reader.GetInt64(7), 0, IsDuplicate: true, NullableString(reader, 8), reader.GetString(9));
        }

        if (!reader.IsDBNull(5))
        {
            return new AppendResult(reader.GetInt64(5), reader.GetInt64(6), IsDuplicate: false, request.CommandFingerprint);
        }

        var current = reader.GetInt64(1);
        if (request.RejectionOutcome is { } outcome && current == request.ExpectedVersion)
        {
            return new AppendResult(current, 0, IsDuplicate: false, request.CommandFingerprint, outcome);
        }

        failure = new WrongExpectedVersionException(request.StreamId, request.ExpectedVersion, current);
        return null;
    }

    private static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static NpgsqlBatchCommand BuildAppendCommand(IReadOnlyList<PendingAppend> batch)
    {
        var eventCount = batch.Sum(a => a.Request.Events.Count);
        var streams = new string[batch.Count];
        var expected = new long[batch.Count];
        var commands = new Guid[batch.Count];
        var fingerprints = new string?[batch.Count];
        var rejections = new string?[batch.Count];
        var eventAppend = new long[eventCount];
        var eventStream = new string[eventCount];
        var eventVersion = new long[eventCount];
        var eventCommand = new Guid?[eventCount];
        var eventFingerprint = new string?[eventCount];
        var types = new string[eventCount];
        var data = new string[eventCount];
        var metadata = new string[eventCount];
        var e = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var request = batch[i].Request;
            streams[i] = request.StreamId;
            expected[i] = request.ExpectedVersion;
            commands[i] = request.CommandId;
            fingerprints[i] = request.CommandFingerprint;
            rejections[i] = request.RejectionOutcome;
            for (var n = 0; n < request.Events.Count; n++, e++)
            {
                eventAppend[e] = i + 1;
                eventStream[e] = request.StreamId;
                eventVersion[e] = request.ExpectedVersion + n + 1;
                // The append's last event carries its command: a retry finds it there.
                var last = n == request.Events.Count - 1;
                eventCommand[e] = last ? request.CommandId : null;
                eventFingerprint[e] = last ? request.CommandFingerprint : null;
                types[e] = request.Events[n].Type;
                data[e] = request.Events[n].Data;
                metadata[e] = request.Events[n].Metadata;
            }
        }

        var command = new NpgsqlBatchCommand(PostgresSql.AppendBatch);
        command.Parameters.Add(new NpgsqlParameter<string[]>("a_stream", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = streams });
        command.Parameters.Add(new NpgsqlParameter<long[]>("a_expected", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = expected });
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("a_command", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { TypedValue = commands });
        command.Parameters.Add(new NpgsqlParameter<string?[]>("a_fingerprint", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = fingerprints });
        command.Parameters.Add(new NpgsqlParameter<string?[]>("a_rejection", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = rejections });
        command.Parameters.Add(new NpgsqlParameter<long[]>("e_append", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = eventAppend });
        command.Parameters.Add(new NpgsqlParameter<string[]>("e_stream", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = eventStream });
        command.Parameters.Add(new NpgsqlParameter<long[]>("e_version", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = eventVersion });
        command.Parameters.Add(new NpgsqlParameter<Guid?[]>("e_command", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { TypedValue = eventCommand });
        command.Parameters.Add(new NpgsqlParameter<string?[]>("e_fingerprint", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = eventFingerprint });
        command.Parameters.Add(new NpgsqlParameter<string[]>("e_type", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = types });
        command.Parameters.Add(new NpgsqlParameter<string[]>("e_data", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = data });
        command.Parameters.Add(new NpgsqlParameter<string[]>("e_metadata", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = metadata });
        return command;
    }

    private static async Task<IReadOnlyList<RecordedEvent>> ReadEventsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var events = new List<RecordedEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new RecordedEvent(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4), reader.GetString(5)));
        }

        return events;
    }

    /// <summary>Turns "cannot reach the database in time" into one exception callers can map (HTTP 503).</summary>
    private static async Task<T> Guard<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            throw Unavailable(ex);
        }
    }

    private static T GuardSync<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            throw Unavailable(ex);
        }
    }

    private static EventStoreUnavailableException Unavailable(Exception ex) =>
        new($"The PostgreSQL event store is unavailable: {ex.Message}", ex);

    private static bool IsUnavailable(Exception exception) => exception switch
    {
        PostgresException pg => pg.IsTransient || pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("57", StringComparison.Ordinal),
        NpgsqlException => true,
        TimeoutException => true,
        System.Net.Sockets.SocketException => true,
        IOException => true,
        _ => false,
    };

    protected override ValueTask ReleaseResourcesAsync() => _dataSource.DisposeAsync();
}
