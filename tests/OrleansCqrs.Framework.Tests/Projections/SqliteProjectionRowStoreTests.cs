using Microsoft.Data.Sqlite;
using OrleansCqrs.Framework.EventStore.Sqlite;
using OrleansCqrs.Framework.Projections.Rows;

namespace OrleansCqrs.Framework.Tests.Projections;

/// <summary>A SQLite file migrated as the event store migrates it (the rows live in the events file).</summary>
public sealed class SqliteProjectionRowStoreFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("orleanscqrs-rows-").FullName;

    public SqliteProjectionRowStore Rows { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var connectionString = $"Data Source={Path.Combine(_directory, "events.db")}";
        await using (var store = new SqliteEventStore(new SqliteEventStoreOptions { ConnectionString = connectionString }))
        {
            await store.MigrateAsync();
        }

        Rows = new SqliteProjectionRowStore(connectionString);
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}

public sealed class SqliteProjectionRowStoreTests(SqliteProjectionRowStoreFixture fixture)
    : ProjectionRowStoreConformanceTests(fixture.Rows), IClassFixture<SqliteProjectionRowStoreFixture>;
