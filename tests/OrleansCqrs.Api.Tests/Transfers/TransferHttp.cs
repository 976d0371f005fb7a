using System.Net;
using System.Text.Json;
using OrleansCqrs.Bank.Accounts;

namespace OrleansCqrs.Api.Tests.Transfers;

/// <summary>Transfers and the accounts they need, over HTTP as a client sends them, and what the log holds about them.</summary>
public static class TransferHttp
{
    /// <summary>Opens an account of <paramref name="customerId"/> in <paramref name="currency"/> with <paramref name="deposit"/> in it; returns its id.</summary>
    public static async Task<string> OpenFundedAsync(this HttpClient client, string customerId, decimal deposit, string currency = "EUR")
    {
        var id = $"acc-{Guid.NewGuid():N}";
        await (await client.PostAsync("/api/accounts", $$"""{"customerId":"{{customerId}}","currency":"{{currency}}","accountId":"{{id}}"}""")).OkAsync(HttpStatusCode.Created);
        if (deposit > 0)
        {
            await client.DepositAsync(id, deposit);
        }

        return id;
    }

    public static Task<HttpResponseMessage> TransferAsync(this HttpClient client, string from, string to, decimal amount, string? transferId = null, string? idempotencyKey = null) =>
        client.PostAsync(
            "/api/transfers",
            transferId is null
                ? $$"""{"fromAccountId":"{{from}}","toAccountId":"{{to}}","amount":{{amount}}}"""
                : $$"""{"fromAccountId":"{{from}}","toAccountId":"{{to}}","amount":{{amount}},"transferId":"{{transferId}}"}""",
            idempotencyKey);

    /// <summary>Requests a transfer (202 asserted) and returns its id.</summary>
    public static async Task<string> TransferAcceptedAsync(this HttpClient client, string from, string to, decimal amount) =>
        (await (await client.TransferAsync(from, to, amount)).OkAsync(HttpStatusCode.Accepted)).GetProperty("transferId").GetString()!;

    /// <summary>The transfer once it has ended (200 asserted): the read waits for it, and a transfer still pending fails the test.</summary>
    public static async Task<JsonElement> EndedTransferAsync(this HttpClient client, string transferId)
    {
        var transfer = await (await client.GetAsync($"/api/transfers/{transferId}?waitMs=10000")).OkAsync();
        Assert.True(transfer.GetProperty("status").GetString() != "pending", $"Transfer {transferId} did not end within 10 s: {transfer}");
        return transfer;
    }

    public static async Task<decimal> BalanceAsync(this ApiHost host, string accountId) =>
        (await host.Grains.GetGrain<IAccountGrain>(accountId).Get())!.Balance;

    /// <summary>The types of the events the account's stream holds, in order.</summary>
    public static async Task<string[]> AccountEventsAsync(this ApiHost host, string accountId) =>
        [.. (await host.EventStore.ReadStreamAsync($"{AccountGrain.StreamName}-{accountId}", 1, 1000)).Select(e => e.Type)];

    /// <summary>How many events the transfer's own stream holds (0: it was never requested).</summary>
    public static async Task<int> TransferEventCountAsync(this ApiHost host, string transferId) =>
        (await host.EventStore.ReadStreamAsync($"{Bank.Transfers.TransferGrain.StreamName}-{transferId}", 1, 1000)).Count;
}
