using System.Net;
using System.Text.Json;
using OrleansCqrs.Api.Tests.Accounts;

namespace OrleansCqrs.Api.Tests.Live;

public sealed class LiveApiTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private HttpClient Client => fixture.Client;

    private async Task<string> OpenAsync(string customerId)
    {
        var created = await (await Client.PostAsync("/api/accounts", $$"""{"customerId":"{{customerId}}","currency":"EUR"}""")).OkAsync(HttpStatusCode.Created);
        return created.GetProperty("accountId").GetString()!;
    }

    /// <summary>The data of the next `event: account` of an SSE response.</summary>
    private static async Task<JsonElement> NextAccountEventAsync(StreamReader reader, CancellationToken deadline)
    {
        string? eventName = null;
        while (await reader.ReadLineAsync(deadline) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventName = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && eventName == "account")
            {
                return JsonDocument.Parse(line["data: ".Length..]).RootElement;
            }
        }

        throw new InvalidOperationException("The event stream ended.");
    }

    private async Task<(HttpResponseMessage Response, StreamReader Reader)> ListenAsync(string query, CancellationToken deadline)
    {
        var response = await Client.GetAsync($"/api/live{query}", HttpCompletionOption.ResponseHeadersRead, deadline);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(deadline));
        Assert.Equal(": connected", await reader.ReadLineAsync(deadline));
        return (response, reader);
    }

    [Fact]
    public async Task A_listener_for_an_account_receives_its_new_summary_and_nothing_of_other_accounts()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var watched = await OpenAsync("cust-live");
        var other = await OpenAsync("cust-live");
        var (response, reader) = await ListenAsync($"?accountId={watched}", deadline.Token);
        using (response)
        using (reader)
        {
            await (await Client.PostAsync($"/api/accounts/{other}/deposit", """{"amount":1}""")).OkAsync();
            await (await Client.PostAsync($"/api/accounts/{watched}/deposit", """{"amount":42.5}""")).OkAsync();

            var change = await NextAccountEventAsync(reader, deadline.Token);

            Assert.Equal(watched, change.GetProperty("accountId").GetString());
            Assert.Equal(42.5m, change.GetProperty("balance").GetDecimal());
        }
    }

    [Fact]
    public async Task A_listener_for_a_customer_receives_changes_of_each_of_its_accounts()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var customer = $"cust-{Guid.NewGuid():N}";
        var (response, reader) = await ListenAsync($"?customerId={customer}", deadline.Token);
        using (response)
        using (reader)
        {
            var first = await OpenAsync(customer);
            var opened = await NextAccountEventAsync(reader, deadline.Token);

            Assert.Equal(first, opened.GetProperty("accountId").GetString());
            Assert.Equal(customer, opened.GetProperty("customerId").GetString());
        }
    }

    [Fact]
    public async Task A_malformed_filter_is_a_400_problem()
    {
        await (await Client.GetAsync("/api/live?accountId=bad%20id")).ProblemAsync(HttpStatusCode.BadRequest);
    }
}
