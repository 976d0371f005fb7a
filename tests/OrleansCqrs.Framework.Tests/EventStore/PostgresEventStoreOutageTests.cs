using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.EventStore.Postgres;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Framework.Tests.EventStore;

/// <summary>The event store on a PostgreSQL server of its own, stopped and started again.</summary>
public sealed class PostgresEventStoreOutageTests
{
    private static AppendRequest Append(string stream, long expected) =>
        new(stream, expected, [new EventData("test.happened.v1", $"{{\"n\":{expected + 1}}}", "{}")], Guid.NewGuid());

    [Fact]
    public async Task The_first_append_after_a_server_restart_succeeds_on_a_store_whose_pooled_connections_died()
    {
        await using var server = await PostgresServer.StartAsync();
        var database = await server.CreateDatabaseAsync("events");
        await using var store = new PostgresEventStore(new PostgresEventStoreOptions { ConnectionString = database });
        await store.MigrateAsync();
        var stream = $"restart-{Guid.NewGuid():N}";
        await store.AppendAsync(Append(stream, 0));

        await server.StopAsync();
        try
        {
            // Asked of another store: the first one's pooled connection must still be there after the restart.
            await using var during = new PostgresEventStore(new PostgresEventStoreOptions { ConnectionString = database });
            await Assert.ThrowsAsync<EventStoreUnavailableException>(() => during.AppendAsync(Append($"down-{Guid.NewGuid():N}", 0)));
        }
        finally
        {
            await server.StartAgainAsync();
        }

        var after = await store.AppendAsync(Append(stream, 1));

        Assert.Equal(2, after.Version);
        Assert.Equal(2, (await store.ReadStreamAsync(stream, 1, 10)).Count);
    }
}
