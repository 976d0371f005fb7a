using System.Diagnostics;
using Microsoft.Data.Sqlite;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Transfers;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.EventStore.Sqlite;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Api.Tests.Transfers;

/// <summary>
/// The embedded app (SQLite, co-hosted silo) as a real process, killed with a transfer requested and not one of its
/// steps run, then started again: the process resumer finishes the transfer with nobody calling it.
/// </summary>
public sealed class EmbeddedTransferResumptionTests
{
    /// <summary>The issue's bound: a started transfer ends within this of the app being up again.</summary>
    private static readonly TimeSpan ResumeDeadline = TimeSpan.FromSeconds(10);

    private static readonly EventSerializer Serializer = new(EventTypeRegistry.FromAssemblies(typeof(TransferRequested).Assembly));

    private static SqliteEventStore StoreIn(string workingDirectory) =>
        new(new SqliteEventStoreOptions { ConnectionString = $"Data Source={Path.Combine(workingDirectory, "data", "events.db")}" });

    [Fact]
    public async Task A_transfer_left_unfinished_by_a_killed_app_is_finished_within_10_s_of_its_restart()
    {
        var workingDirectory = Directory.CreateTempSubdirectory("orleanscqrs-transfer-restart-").FullName;
        try
        {
            string from, to;
            await using (var app = await AppProcess.StartAsync(workingDirectory, new Dictionary<string, string>()))
            {
                using var client = app.CreateClient(TestTokens.Shared.Operator());
                (from, to) = (await client.OpenAccountAsync("cust-1"), await client.OpenAccountAsync("cust-2"));
                await client.DepositAsync(from, 100m);
                await app.KillAsync();
            }

            // What a crash right after the request leaves behind: the transfer requested, not one step run.
            var transferId = $"tr-{Guid.NewGuid():N}";
            var stream = $"{TransferGrain.StreamName}-{transferId}";
            await using (var store = StoreIn(workingDirectory))
            {
                var metadata = new EventMetadata(Guid.NewGuid(), DateTimeOffset.UtcNow);
                var requested = Serializer.Serialize(new TransferRequested(from, to, 30m, "EUR", null, metadata.Timestamp), metadata);
                await store.AppendAsync(new AppendRequest(stream, 0, [requested], metadata.CommandId));
            }

            SqliteConnection.ClearAllPools();
            var launched = Stopwatch.StartNew();
            await using (var app = await AppProcess.StartAsync(workingDirectory, new Dictionary<string, string>()))
            {
                var ready = launched.Elapsed;
                await using var store = StoreIn(workingDirectory);
                var events = await Eventually.ReturnsAsync(
                    async () => (await store.ReadStreamAsync(stream, 1, 100)).Select(e => Serializer.Deserialize(e).Event).ToList(),
                    events => events.Count > 0 && events[^1] is TransferCompleted or TransferFailed,
                    ResumeDeadline,
                    $"the transfer requested before the kill to end in the log with nobody calling (the app took {ready.TotalSeconds:0.0} s to start)",
                    events => string.Join(", ", events.Select(e => e.GetType().Name)));
                Assert.IsType<TransferCompleted>(events[^1]);

                using var client = app.CreateClient(TestTokens.Shared.Operator());
                var balances = await Eventually.ReturnsAsync(
                    async () => (await BalanceAsync(client, from), await BalanceAsync(client, to)),
                    b => b == (70m, 30m),
                    TimeSpan.FromSeconds(10),
                    "the account summaries to show the transfer");
                Assert.Equal((70m, 30m), balances);
                var sent = (await store.ReadStreamAsync($"{AccountGrain.StreamName}-{from}", 1, 100)).Count(e => Serializer.Deserialize(e).Event is TransferSent);
                Assert.Equal(1, sent);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(workingDirectory, recursive: true);
        }
    }

    private static async Task<decimal> BalanceAsync(HttpClient client, string accountId) =>
        (await (await client.GetAsync($"/api/accounts/{accountId}")).OkAsync()).GetProperty("balance").GetDecimal();
}
