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
            $"{PostgresSql.TakeAppendLock}; INSERT INTO cqrs_events (stream_id, version, event_type, data, metadata) VALUES (@s, 1, 'test.open.v1', '{{}}', '{{}}')",
            connection,
            transaction);
        command.Parameters.AddWithValue("lock_key", PostgresSql.AppendLockKey);
        command.Parameters.AddWithValue("s", streamId);
        await command.ExecuteNonQueryAsync();
        return new OpenTransaction(connection, transaction);
    }

    public Task WaitForAppendBehindOpenOneAsync() => Until.TrueAsync(async () =>
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var waiting = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted", connection);
        return (long)(await waiting.ExecuteScalarAsync())! > 0;
    }, "a writer waiting for the append lock");

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
    public async Task A_batch_is_one_transaction_so_the_append_lock_is_still_held_by_the_insert()
    {
        // The store sends the lock and the insert as one batch without BEGIN/COMMIT; position order equals commit
        // order only if PostgreSQL runs the batch as one implicit transaction, which this pins down.
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(PostgresEventStore.TakeAppendLock());
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid()"));
        await using var reader = await batch.ExecuteReaderAsync();
        await reader.NextResultAsync();
        await reader.ReadAsync();

        Assert.Equal(1, reader.GetInt64(0));
    }
}
