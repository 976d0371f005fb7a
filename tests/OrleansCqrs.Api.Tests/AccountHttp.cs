using System.Net;

namespace OrleansCqrs.Api.Tests;

/// <summary>The account commands a test needs as set-up, over HTTP as a client sends them.</summary>
public static class AccountHttp
{
    /// <summary>Opens a EUR account for <paramref name="customerId"/>; returns its id.</summary>
    public static async Task<string> OpenAccountAsync(this HttpClient client, string customerId)
    {
        var created = await (await client.PostAsync("/api/accounts", $$"""{"customerId":"{{customerId}}","currency":"EUR"}""")).OkAsync(HttpStatusCode.Created);
        return created.GetProperty("accountId").GetString()!;
    }

    /// <summary>Deposits <paramref name="amount"/>; returns the account's version after it.</summary>
    public static async Task<long> DepositAsync(this HttpClient client, string accountId, decimal amount) =>
        (await (await client.PostAsync($"/api/accounts/{accountId}/deposit", $$"""{"amount":{{amount}}}""")).OkAsync()).GetProperty("version").GetInt64();
}
