using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Cluster.Tests;

/// <summary>
/// Silo processes and a front end configured from silo-config/, the event log on one PostgreSQL server and the read
/// models on another (<c>OrleansCqrs:ReadStoreConnectionString</c>): each server stopped in turn while the other side
/// goes on, over HTTP as clients see it.
/// </summary>
public sealed class SplitStoreClusterTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task With_the_logs_server_down_reads_answer_stale_where_they_may_be_behind_and_commands_are_refused_typed()
    {
        await using var split = await SplitStores.StartAsync();
        var (writes, reads, cluster, client, account) = (split.Writes, split.Reads, split.Cluster, split.Client, split.Account);

        await writes.StopAsync();
        try
        {
            using (var refused = await DepositAsync(client, account, 1m))
            {
                Assert.True(refused.StatusCode == HttpStatusCode.ServiceUnavailable, $"{refused.StatusCode}: {await refused.Content.ReadAsStringAsync()}\n{cluster.Output}");
                Assert.Equal("store-unavailable", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
            }

            Assert.Equal(50m, await BalanceAsync(client, account, ""));
            await Eventually.ReturnsAsync(
                async () =>
                {
                    using var totals = await client.GetAsync(new Uri("/api/bank/totals", UriKind.Relative));
                    return totals.StatusCode == HttpStatusCode.OK && totals.Headers.TryGetValues("X-Read-Stale", out var stale) && stale.Contains("true");
                },
                stale => stale,
                Deadline,
                "the totals to answer, marked stale, while the log cannot be read");
        }
        finally
        {
            await writes.StartAgainAsync();
        }

        await Eventually.ReturnsAsync(
            async () => (await DepositAsync(client, account, 1m)).StatusCode,
            status => status == HttpStatusCode.OK,
            Deadline,
            "a deposit to be accepted once the log's server is back");
    }

    [Fact]
    public async Task With_the_read_stores_server_down_commands_are_accepted_and_the_read_models_catch_up_when_it_returns()
    {
        await using var split = await SplitStores.StartAsync();
        var (writes, reads, cluster, client, account) = (split.Writes, split.Reads, split.Cluster, split.Client, split.Account);

        await reads.StopAsync();
        string opened;
        try
        {
            using (var deposit = await DepositAsync(client, account, 2m))
            {
                Assert.True(deposit.StatusCode == HttpStatusCode.OK, $"{deposit.StatusCode}: {await deposit.Content.ReadAsStringAsync()}\n{cluster.Output}");
            }

            opened = await OpenAsync(client, 10m, cluster);
            using var transfer = await client.PostAsJsonAsync("/api/transfers", new { fromAccountId = account, toAccountId = opened, amount = 3m });
            Assert.True(transfer.StatusCode == HttpStatusCode.Accepted, $"{transfer.StatusCode}: {await transfer.Content.ReadAsStringAsync()}\n{cluster.Output}");
        }
        finally
        {
            await reads.StartAgainAsync();
        }

        // 50 + 2 - 3 and 10 + 3, from the log, once the read store is back.
        await Eventually.ReturnsAsync(
            async () => (await BalanceAsync(client, account, ""), await BalanceAsync(client, opened, "")),
            balances => balances == (49m, 13m),
            Deadline,
            "the summaries to catch up from the log");
    }

    /// <summary>Both servers, two silos and a front end on them, and an account opened with 50 that its summary shows.</summary>
    private sealed class SplitStores(PostgresServer writes, PostgresServer reads) : IAsyncDisposable
    {
        public PostgresServer Writes { get; } = writes;

        public PostgresServer Reads { get; } = reads;

        public LocalCluster Cluster { get; private set; } = null!;

        public HttpClient Client { get; private set; } = null!;

        public string Account { get; private set; } = "";

        public static async Task<SplitStores> StartAsync()
        {
            var split = new SplitStores(await PostgresServer.StartAsync(), await PostgresServer.StartAsync());
            try
            {
                split.Cluster = await LocalCluster.StartAsync(
                    await split.Writes.CreateDatabaseAsync("log"), silos: 2, readStoreConnectionString: await split.Reads.CreateDatabaseAsync("reads"));
                split.Client = split.Cluster.FrontEnds[0].CreateClient(TestTokens.Shared.Operator());
                split.Account = await OpenAsync(split.Client, 50m, split.Cluster);
                Assert.Equal(50m, await BalanceAsync(split.Client, split.Account, "?minVersion=2&waitMs=10000"));
                return split;
            }
            catch
            {
                await split.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            Client?.Dispose();
            if (Cluster is not null)
            {
                await Cluster.DisposeAsync();
            }

            await Reads.DisposeAsync();
            await Writes.DisposeAsync();
        }
    }

    private static async Task<string> OpenAsync(HttpClient client, decimal deposit, LocalCluster cluster)
    {
        var id = $"split-{Guid.NewGuid():N}";
        using (var opened = await client.PostAsJsonAsync("/api/accounts", new { accountId = id, customerId = "cust-split", currency = "EUR" }))
        {
            Assert.True(opened.StatusCode == HttpStatusCode.Created, $"{opened.StatusCode}: {await opened.Content.ReadAsStringAsync()}\n{cluster.Output}");
        }

        using var deposited = await DepositAsync(client, id, deposit);
        Assert.True(deposited.StatusCode == HttpStatusCode.OK, $"{deposited.StatusCode}: {await deposited.Content.ReadAsStringAsync()}\n{cluster.Output}");
        return id;
    }

    private static Task<HttpResponseMessage> DepositAsync(HttpClient client, string account, decimal amount) =>
        client.PostAsJsonAsync($"/api/accounts/{account}/deposit", new { amount });

    /// <summary>The summary's balance, or -1 when it cannot be read now.</summary>
    private static async Task<decimal> BalanceAsync(HttpClient client, string account, string query)
    {
        using var response = await client.GetAsync(new Uri($"/api/accounts/{account}{query}", UriKind.Relative));
        return response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("balance").GetDecimal() : -1m;
    }
}
