using System.Text;

namespace OrleansCqrs.Web.Tests;

/// <summary>Commands sent beside the page, as another client of the same customer would.</summary>
public static class ApiCalls
{
    public static async Task PostOkAsync(this HttpClient client, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(path, content);
        Assert.True(response.IsSuccessStatusCode, $"POST {path} {json}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static Task OpenAsync(this HttpClient client, string accountId) =>
        client.PostOkAsync("/api/accounts", $$"""{"currency":"EUR","accountId":"{{accountId}}"}""");

    public static Task DepositAsync(this HttpClient client, string accountId, decimal amount) =>
        client.PostOkAsync($"/api/accounts/{accountId}/deposit", $$"""{"amount":{{amount.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}""");
}
