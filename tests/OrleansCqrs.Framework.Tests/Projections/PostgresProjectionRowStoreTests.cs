using OrleansCqrs.Framework.EventStore.Postgres;
using OrleansCqrs.Framework.Projections.Rows;

namespace OrleansCqrs.Framework.Tests.Projections;

/// <summary>A database of the private PostgreSQL, migrated as the event store migrates it.</summary>
public sealed class PostgresProjectionRowStoreFixture(PostgresServerFixture server) : IAsyncLifetime
{
    public PostgresProjectionRowStore Rows { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var connectionString = await server.Server.CreateDatabaseAsync("rows");
        await using (var store = new PostgresEventStore(new PostgresEventStoreOptions { ConnectionString = connectionString }))
        {
            await store.MigrateAsync();
        }

        Rows = new PostgresProjectionRowStore(connectionString);
    }

    public async ValueTask DisposeAsync() => await Rows.DisposeAsync();
}

public sealed class PostgresProjectionRowStoreTests(PostgresProjectionRowStoreFixture fixture)
    : ProjectionRowStoreConformanceTests(fixture.Rows), IClassFixture<PostgresProjectionRowStoreFixture>;
