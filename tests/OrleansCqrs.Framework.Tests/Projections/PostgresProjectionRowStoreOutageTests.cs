using OrleansCqrs.Framework.Projections;
using OrleansCqrs.Framework.Projections.Rows;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Framework.Tests.Projections;

/// <summary>The row store on a PostgreSQL server of its own, stopped and started again (a read store's outage).</summary>
public sealed class PostgresProjectionRowStoreOutageTests
{
    private static ProjectionSave Save(string projection, long etag, long position) =>
        new(projection, etag, position, [1], null, [new ProjectionRow("a", [(byte)position])], []);

    [Fact]
    public async Task A_down_server_is_told_typed_and_the_first_save_after_its_restart_succeeds_on_connections_pooled_before()
    {
        await using var server = await PostgresServer.StartAsync();
        var database = await server.CreateDatabaseAsync("rows");
        await PostgresProjectionRowStore.MigrateAsync(database);
        await using var rows = new PostgresProjectionRowStore(database);
        var projection = $"outage/{Guid.NewGuid():N}";
        var etag = await rows.SaveAsync(Save(projection, 0, 1));

        await server.StopAsync();
        try
        {
            // Asked of another store object: the first one's pooled connection must still be there after the restart.
            await using var during = new PostgresProjectionRowStore(database);
            await Assert.ThrowsAsync<ReadStoreUnavailableException>(() => during.LoadAsync(projection));
            await Assert.ThrowsAsync<ReadStoreUnavailableException>(() => during.SaveAsync(Save(projection, etag, 2)));
        }
        finally
        {
            await server.StartAgainAsync();
        }

        // The connection the first save pooled died with the server: the store must not hand the caller its failure.
        etag = await rows.SaveAsync(Save(projection, etag, 2));
        Assert.Equal((2L, etag), ((await rows.LoadAsync(projection))!.Position, (await rows.LoadAsync(projection))!.Etag));
    }
}
