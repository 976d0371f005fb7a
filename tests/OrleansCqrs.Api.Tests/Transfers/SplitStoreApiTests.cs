using System.Net;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Api.Tests.Transfers;

/// <summary>
/// The app with its read models in a PostgreSQL server of their own (<c>OrleansCqrs:ReadStoreConnectionString</c>),
/// that server stopped: commands, a transfer between a new account and an old one included, are still accepted over
/// HTTP; a read model that cannot be loaded answers 503 read-store-unavailable; when the server is back the reads
/// show what the log holds.
/// </summary>
public sealed class SplitStoreApiTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task With_the_read_store_down_commands_and_transfers_are_accepted_and_reads_say_why_they_cannot_answer()
    {
        var eventLog = await (await postgres.ServerAsync()).CreateDatabaseAsync("splitapi");
        await using var reads = await PostgresServer.StartAsync();
        await using var host = new ApiHost(
            ("OrleansCqrs:Store", "Postgres"),
            ("OrleansCqrs:PostgresConnectionString", eventLog),
            ("OrleansCqrs:ReadStoreConnectionString", await reads.CreateDatabaseAsync("splitapi_reads")));
        host.StartServer();
        using var client = host.OperatorClient();
        var old = await client.OpenFundedAsync("cust-split", 100m);
        await (await client.GetAsync($"/api/accounts/{old}?minVersion=2&waitMs=5000")).OkAsync();

        await reads.StopAsync();
        string opened;
        try
        {
            opened = await client.OpenFundedAsync("cust-split", 10m);
            await client.DepositAsync(old, 5m);
            // The transfer's checks read both summaries; the new account's cannot be loaded, so its aggregate answers.
            var transfer = await client.TransferAcceptedAsync(old, opened, 30m);
            Assert.Equal("completed", (await client.EndedTransferAsync(transfer)).GetProperty("status").GetString());

            using var unreadable = await client.GetAsync($"/api/accounts/{opened}");
            var problem = await unreadable.OkAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal("read-store-unavailable", problem.GetProperty("code").GetString());
        }
        finally
        {
            await reads.StartAgainAsync();
        }

        var caughtUp = await Eventually.ReturnsAsync(
            async () =>
            {
                using var response = await client.GetAsync($"/api/accounts/{opened}");
                return response.IsSuccessStatusCode ? (await response.OkAsync()).GetProperty("balance").GetDecimal() : -1m;
            },
            balance => balance == 40m,
            TimeSpan.FromSeconds(60),
            "the new account's summary to show the deposit and the transfer once the read store is back");
        Assert.Equal(40m, caughtUp);
        Assert.Equal((75m, 40m), (await host.BalanceAsync(old), await host.BalanceAsync(opened)));
    }
}
