using OrleansCqrs.Framework.Projections.Rows;

namespace OrleansCqrs.Framework.Tests.Projections;

/// <summary>A database of the private PostgreSQL with the row store's tables.</summary>
public sealed class PostgresProjectionRowStoreFixture(PostgresServerFixture server) : IAsyncLifetime
{
    public PostgresProjectionRowStore Rows { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var connectionString = await server.Server.CreateDatabaseAsync("rows");
        await PostgresProjectionRowStore.MigrateAsync(connectionString);
        Rows = new PostgresProjectionRowStore(connectionString);
    }

    public async ValueTask DisposeAsync() => await Rows.DisposeAsync();
}

public sealed class PostgresProjectionRowStoreTests(PostgresProjectionRowStoreFixture fixture)
    : ProjectionRowStoreConformanceTests(fixture.Rows), IClassFixture<PostgresProjectionRowStoreFixture>;
