using Microsoft.Data.Sqlite;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.EventStore.Sqlite;

namespace OrleansCqrs.Framework.Tests.EventStore;

public sealed class SqliteEventStoreFixture : IEventStoreFixture, IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("orleanscqrs-sqlite-").FullName;
    private SqliteEventStore? _store;
    private long _batchesBeforeOpen;

    public IEventStore Store => _store!;

    private string ConnectionString => $"Data Source={Path.Combine(_directory, "events.db")}";

    public async ValueTask InitializeAsync()
    {
        _store = new SqliteEventStore(new SqliteEventStoreOptions { ConnectionString = ConnectionString });
        await _store.MigrateAsync();
    }

    public async Task<IAsyncDisposable> BeginOpenAppendAsync(string streamId)
    {
        _batchesBeforeOpen = _store!.BatchesStarted;
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        var transaction = connection.BeginTransaction(deferred: false);
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO cqrs_events (stream_id, version, event_type, data, metadata) VALUES ($s, 1, 'test.open.v1', '{}', '{}')";
        insert.Parameters.AddWithValue("$s", streamId);
        await insert.ExecuteNonQueryAsync();
        return new OpenTransaction(connection, transaction);
    }

    public Task WaitForAppendBehindOpenOneAsync(Task<AppendResult> later)
    {
        var before = _batchesBeforeOpen;
        return Until.TrueAsync(() => Task.FromResult(_store!.BatchesStarted > before), "the writer to start the batch behind the open transaction");
    }

    public Task<(IEventStore Store, IAsyncDisposable Cleanup)> CreateUnavailableStoreAsync()
    {
        // The volume holding the database is gone: its folder is now a plain file, so nothing under it can open.
        var folder = Path.Combine(_directory, $"volume-{Guid.NewGuid():N}");
        var store = new SqliteEventStore(new SqliteEventStoreOptions { ConnectionString = $"Data Source={Path.Combine(folder, "events.db")}" });
        Directory.Delete(folder);
        File.WriteAllText(folder, "not a folder");
        return Task.FromResult<(IEventStore, IAsyncDisposable)>((store, store));
    }

    /// <summary>A store on this fixture's database that gives up on a lock after <paramref name="busyTimeout"/>.</summary>
    public SqliteEventStore CreateStore(TimeSpan busyTimeout) =>
        new(new SqliteEventStoreOptions { ConnectionString = ConnectionString, BusyTimeout = busyTimeout });

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private sealed class OpenTransaction(SqliteConnection connection, SqliteTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.CommitAsync();
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}

public sealed class SqliteEventStoreTests(SqliteEventStoreFixture fixture)
    : EventStoreConformanceTests<SqliteEventStoreFixture>(fixture), IClassFixture<SqliteEventStoreFixture>
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_data_folder_the_store_creates_is_for_its_user_alone()
    {
        var root = Directory.CreateTempSubdirectory("orleanscqrs-private-").FullName;
        try
        {
            var folder = Path.Combine(root, "data");
            await using (var store = new SqliteEventStore(new SqliteEventStoreOptions { ConnectionString = $"Data Source={Path.Combine(folder, "events.db")}" }))
            {
                await store.MigrateAsync();
            }

            Assert.Equal(PrivateDirectory.Mode, File.GetUnixFileMode(folder));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task An_append_blocked_by_a_lock_held_elsewhere_fails_as_unavailable_after_the_busy_timeout()
    {
        await using var store = Fixture.CreateStore(TimeSpan.FromSeconds(1));
        var stream = $"test-{Guid.NewGuid():N}";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using (await Fixture.BeginOpenAppendAsync(stream))
        {
            await Assert.ThrowsAsync<EventStoreUnavailableException>(() =>
                store.AppendAsync(new AppendRequest($"other-{stream}", 0, [new("test.v1", "{}", "{}")], Guid.NewGuid())).WaitAsync(TimeSpan.FromSeconds(20)));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"The blocked append took {clock.Elapsed} to fail.");

            // Readers are not blocked by a writer (WAL).
            Assert.Empty(await store.ReadStreamAsync(stream, 1, 10));
        }
    }
}
