using System.Net;
using System.Net.Sockets;
using Npgsql;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.EventStore.Postgres;

namespace OrleansCqrs.Framework.Tests.EventStore;

public sealed class PostgresEventStoreFixture(PostgresServerFixture server) : IEventStoreFixture, IAsyncLifetime
{
    private PostgresEventStore? _store;
    private string _connectionString = "";

    public IEventStore Store => _store!;

    public string ConnectionString => _connectionString;

    public async ValueTask InitializeAsync()
    {
        _connectionString = await server.Server.CreateDatabaseAsync("events");
        _store = new PostgresEventStore(new PostgresEventStoreOptions { ConnectionString = _connectionString });
        await _store.MigrateAsync();
        // A second run of the migrations is a no-op: silos that start together all run them.
        await _store.MigrateAsync();
    }

    public async Task<IAsyncDisposable> BeginOpenAppendAsync(string streamId)
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO cqrs_events (global_position, stream_id, version, event_type, data, metadata)
            SELECT ((pg_current_xact_id()::text::bigint + xid_shift) << 16) + 1, @s, 1, 'test.open.v1', '{}', '{}' FROM cqrs_log_clock
            """,
            connection,
            transaction);
        command.Parameters.AddWithValue("s", streamId);
        await command.ExecuteNonQueryAsync();
        return new OpenTransaction(connection, transaction);
    }

    public Task WaitForAppendBehindOpenOneAsync(Task<AppendResult> later) =>
        later.WaitAsync(TimeSpan.FromSeconds(10)); // Writers never wait for each other: it commits beside the open one.

    public Task<(IEventStore Store, IAsyncDisposable Cleanup)> CreateUnavailableStoreAsync()
    {
        // A server that accepts connections and never answers: the worst case, a hung or black-holed database.
        var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var store = new PostgresEventStore(new PostgresEventStoreOptions
        {
            ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=none",
            ConnectTimeout = TimeSpan.FromSeconds(2),
            CommandTimeout = TimeSpan.FromSeconds(2),
        });
        return Task.FromResult<(IEventStore, IAsyncDisposable)>((store, new Cleanup(store, silent)));
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    private sealed class OpenTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.CommitAsync();
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    private sealed class Cleanup(PostgresEventStore store, TcpListener silent) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await store.DisposeAsync();
            silent.Dispose();
        }
    }
}

public sealed class PostgresEventStoreTests(PostgresEventStoreFixture fixture)
    : EventStoreConformanceTests<PostgresEventStoreFixture>(fixture), IClassFixture<PostgresEventStoreFixture>
{
    [Fact]
    public async Task Its_connections_skip_GSS_encryption_unless_the_connection_string_asks_for_it()
    {
        // Npgsql's GSS fallback can hang an open past every timeout (NpgsqlConnectionDefaults): the writer thread
        // must never be the one to meet it.
        await using var plain = new PostgresEventStore(new PostgresEventStoreOptions { ConnectionString = Fixture.ConnectionString });
        await using var kerberos = new PostgresEventStore(new PostgresEventStoreOptions { ConnectionString = Fixture.ConnectionString + ";GSS Encryption Mode=Prefer" });

        Assert.Equal(GssEncryptionMode.Disable, new NpgsqlConnectionStringBuilder(plain.ConnectionString).GssEncryptionMode);
        Assert.Equal(GssEncryptionMode.Prefer, new NpgsqlConnectionStringBuilder(kerberos.ConnectionString).GssEncryptionMode);
        Assert.Equal(1, (await plain.AppendAsync(Append($"gss-{Guid.NewGuid():N}", 0, 1))).Version);
    }

    [Fact]
    public async Task A_checkpointing_reader_misses_nothing_while_the_writers_of_three_silos_commit_side_by_side()
    {
        // Three stores on one database, two writer threads each: six transactions can be in flight at once, and
        // their transaction ids (so their positions) are handed out in another order than they commit.
        var silos = Enumerable.Range(0, 3)
            .Select(_ => new PostgresEventStore(new PostgresEventStoreOptions { ConnectionString = Fixture.ConnectionString, GroupCommit = { Writers = 2 } }))
            .ToArray();
        try
        {
            var start = await silos[0].GetHeadPositionAsync();
            var streams = Enumerable.Range(0, 96).Select(i => (Store: silos[i % 3], Id: $"silos-{Guid.NewGuid():N}")).ToArray();
            var writers = streams.Select(async stream =>
            {
                long version = 0;
                while (version < 60)
                {
                    version = (await stream.Store.AppendAsync(Append(stream.Id, version, 1 + (int)(version % 3)))).Version;
                }

                return version;
            }).ToList();

            var seen = new List<RecordedEvent>();
            var checkpoint = start;
            while (!writers.All(w => w.IsCompleted))
            {
                var page = await silos[1].ReadAllAsync(checkpoint, 50);
                seen.AddRange(page);
                checkpoint = page.Count > 0 ? page[^1].Position : checkpoint;
            }

            await Task.WhenAll(writers);
            var ids = streams.Select(s => s.Id).ToHashSet();
            await Until.TrueAsync(
                async () =>
                {
                    for (IReadOnlyList<RecordedEvent> page; (page = await silos[2].ReadAllAsync(checkpoint, 500)).Count > 0; checkpoint = page[^1].Position)
                    {
                        seen.AddRange(page);
                    }

                    return seen.Count(e => ids.Contains(e.StreamId)) >= streams.Length * 60;
                },
                "the reader to reach every appended event");

            Assert.True(seen.Zip(seen.Skip(1)).All(p => p.Second.Position > p.First.Position), "The reader saw positions out of order.");
            foreach (var (_, id) in streams)
            {
                Assert.Equal(Enumerable.Range(1, 60).Select(v => (long)v), seen.Where(e => e.StreamId == id).Select(e => e.Version));
            }
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_second_writer_of_a_stream_gets_a_version_conflict_not_a_database_error()
    {
        // What a second activation of an aggregate does: append at the same version while the first one's
        // transaction is still open. The unique (stream, version) index makes it wait, then refuse.
        var stream = $"twice-{Guid.NewGuid():N}";
        Task<AppendResult> second;
        await using (await Fixture.BeginOpenAppendAsync(stream))
        {
            second = Fixture.Store.AppendAsync(Append(stream, 0, 1));
            await Until.TrueAsync(async () =>
            {
                await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
                await connection.OpenAsync();
                await using var waiting = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE locktype = 'transactionid' AND NOT granted", connection);
                return (long)(await waiting.ExecuteScalarAsync())! > 0;
            }, "the second append to wait at the unique index");
        }

        var conflict = await Assert.ThrowsAsync<WrongExpectedVersionException>(() => second.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, conflict.ActualVersion);
        Assert.Single(await Fixture.Store.ReadStreamAsync(stream, 1, 10));
    }

    [Fact]
    public async Task An_append_whose_connection_drops_while_a_second_writer_holds_its_stream_gets_a_version_conflict()
    {
        // Two failures of one append: its connection drops, and its retry meets the other writer's commit.
        await using var writer = SingleWriterNamed(out var name);
        var stream = $"dropped-{Guid.NewGuid():N}";
        Task<AppendResult> append;
        await using (await Fixture.BeginOpenAppendAsync(stream))
        {
            append = writer.AppendAsync(Append(stream, 0, 1));
            await DropConnectionWaitingOnALockAsync(name);
        }

        var conflict = await Assert.ThrowsAsync<WrongExpectedVersionException>(() => append.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, conflict.ActualVersion);
    }

    [Fact]
    public async Task Appends_batched_with_a_conflicting_one_commit_even_when_their_connection_dropped_first()
    {
        await using var writer = SingleWriterNamed(out var name);
        var busy = $"busy-{Guid.NewGuid():N}";
        var taken = $"taken-{Guid.NewGuid():N}";
        var good = Enumerable.Range(0, 5).Select(_ => $"good-{Guid.NewGuid():N}").ToList();
        List<Task<AppendResult>> batched;
        await using (await Fixture.BeginOpenAppendAsync(taken))
        {
            await using (await Fixture.BeginOpenAppendAsync(busy))
            {
                var first = writer.AppendAsync(Append(busy, 0, 1));
                await WriterWaitingOnALockAsync(name, other: 0);
                // The writer is held on the first append: these queue behind it and form its next batch.
                batched = [.. good.Prepend(taken).Select(s => writer.AppendAsync(Append(s, 0, 1)))];
            }

            await DropConnectionWaitingOnALockAsync(name);
        }

        await Assert.ThrowsAsync<WrongExpectedVersionException>(() => batched[0].WaitAsync(TimeSpan.FromSeconds(10)));
        var committed = await Task.WhenAll(batched.Skip(1)).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.All(committed, r => Assert.Equal(1, r.Version));
    }

    /// <summary>A store with one writer thread whose connections carry their own name in pg_stat_activity.</summary>
    private PostgresEventStore SingleWriterNamed(out string name)
    {
        name = $"writer-{Guid.NewGuid():N}";
        return new PostgresEventStore(new PostgresEventStoreOptions
        {
            ConnectionString = $"{Fixture.ConnectionString};Application Name={name}",
            GroupCommit = { Writers = 1 },
        });
    }

    /// <summary>
    /// Ends the writer's connection while its batch waits on another transaction's lock, then waits until the retry,
    /// on a fresh connection, waits there again.
    /// </summary>
    private async Task DropConnectionWaitingOnALockAsync(string name)
    {
        var pid = await WriterWaitingOnALockAsync(name, other: 0);
        await using (var connection = new NpgsqlConnection(Fixture.ConnectionString))
        {
            await connection.OpenAsync();
            await using var terminate = new NpgsqlCommand("SELECT pg_terminate_backend(@pid)", connection);
            terminate.Parameters.AddWithValue("pid", pid);
            Assert.True((bool)(await terminate.ExecuteScalarAsync())!);
        }

        await WriterWaitingOnALockAsync(name, other: pid);
    }

    private async Task<int> WriterWaitingOnALockAsync(string name, int other)
    {
        var pid = 0;
        await Until.TrueAsync(
            async () =>
            {
                await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
                await connection.OpenAsync();
                await using var waiting = new NpgsqlCommand(
                    "SELECT pid FROM pg_stat_activity WHERE application_name = @name AND wait_event_type = 'Lock' AND pid <> @other",
                    connection);
                waiting.Parameters.AddWithValue("name", name);
                waiting.Parameters.AddWithValue("other", other);
                pid = await waiting.ExecuteScalarAsync() as int? ?? 0;
                return pid != 0;
            },
            $"the writer '{name}' to wait on another transaction's lock");
        return pid;
    }

    [Fact]
    public async Task After_a_restore_into_a_server_with_lower_transaction_ids_new_positions_stay_above_the_old_ones()
    {
        // A logical dump restored elsewhere keeps its positions but not the transaction ids behind them: stand in a
        // position far above this server's ids, as that log would have.
        var restored = (long)1 << 50;
        await using (var connection = new NpgsqlConnection(Fixture.ConnectionString))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand(
                "INSERT INTO cqrs_events (global_position, stream_id, version, event_type, data, metadata) VALUES (@p, @s, 1, 'test.restored.v1', '{}', '{}')",
                connection);
            insert.Parameters.AddWithValue("p", restored);
            insert.Parameters.AddWithValue("s", $"restored-{Guid.NewGuid():N}");
            await insert.ExecuteNonQueryAsync();
        }

        await PostgresEventStore.AlignLogClockAsync(Fixture.ConnectionString);
        var next = await Fixture.Store.AppendAsync(Append($"after-{Guid.NewGuid():N}", 0, 1));
        await PostgresEventStore.AlignLogClockAsync(Fixture.ConnectionString); // A healthy log: nothing changes.
        var nextAgain = await Fixture.Store.AppendAsync(Append($"after-{Guid.NewGuid():N}", 0, 1));

        Assert.True(next.Position > restored, $"A new position {next.Position} fell below a restored one {restored}.");
        Assert.True(nextAgain.Position > next.Position);
        Assert.True(nextAgain.Position - next.Position < restored, "A healthy log's clock was moved.");
    }

    private static AppendRequest Append(string stream, long expected, int count) =>
        new(stream, expected, Enumerable.Range(1, count).Select(i => new EventData("test.happened.v1", $"{{\"n\":{expected + i}}}", "{}")).ToList(), Guid.NewGuid());
}
