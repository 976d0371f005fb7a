using System.Net;
using OrleansCqrs.Api.Tests.Accounts;

namespace OrleansCqrs.Api.Tests.Ledger;

public sealed class LedgerApiTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Totals_read_at_the_position_of_a_command_include_it()
    {
        var created = await (await Client.PostAsync("/api/accounts", """{"customerId":"cust-b","currency":"NOK"}""")).OkAsync(HttpStatusCode.Created);
        var id = created.GetProperty("accountId").GetString()!;
        await (await Client.PostAsync($"/api/accounts/{id}/deposit", """{"amount":70}""")).OkAsync();
        var withdrawn = await (await Client.PostAsync($"/api/accounts/{id}/withdraw", """{"amount":20.5}""")).OkAsync();
        var position = withdrawn.GetProperty("position").GetInt64();

        var response = await Client.GetAsync($"/api/bank/totals?minPosition={position}");
        var totals = await response.OkAsync();

        Assert.False(response.Headers.Contains("X-Read-Stale"));
        Assert.True(totals.GetProperty("position").GetInt64() >= position);
        Assert.True(totals.GetProperty("accounts").GetInt64() >= 1);
        var nok = totals.GetProperty("currencies").EnumerateArray().Single(c => c.GetProperty("currency").GetString() == "NOK");
        Assert.Equal(49.5m, nok.GetProperty("balance").GetDecimal());
        Assert.Equal(1, nok.GetProperty("deposits").GetInt64());
        Assert.Equal(20.5m, nok.GetProperty("withdrawnAmount").GetDecimal());
    }

    [Fact]
    public async Task A_position_not_reached_within_the_wait_is_marked_stale()
    {
        var response = await Client.GetAsync("/api/bank/totals?minPosition=999999999&waitMs=100");

        await response.OkAsync();
        Assert.Equal(["true"], response.Headers.GetValues("X-Read-Stale"));
    }

    [Fact]
    public async Task Top_accounts_list_the_highest_balances_first()
    {
        long position = 0;
        foreach (var (id, amount) in new[] { ($"top-a-{Guid.NewGuid():N}", 999_000_000m), ($"top-b-{Guid.NewGuid():N}", 998_000_000m) })
        {
            await (await Client.PostAsync("/api/accounts", $$"""{"customerId":"cust-top","currency":"EUR","accountId":"{{id}}"}""")).OkAsync(HttpStatusCode.Created);
            var deposited = await (await Client.PostAsync($"/api/accounts/{id}/deposit", $$"""{"amount":{{amount}}}""")).OkAsync();
            position = deposited.GetProperty("position").GetInt64();
        }

        var top = await (await Client.GetAsync($"/api/bank/top-accounts?limit=2&minPosition={position}")).OkAsync();

        var accounts = top.GetProperty("accounts").EnumerateArray().ToList();
        Assert.Equal([999_000_000m, 998_000_000m], accounts.Select(a => a.GetProperty("balance").GetDecimal()));
        Assert.All(accounts, a => Assert.Equal("cust-top", a.GetProperty("customerId").GetString()));
    }

    [Theory]
    [InlineData("totals?minPosition=-1", "minPosition")]
    [InlineData("totals?waitMs=20000", "waitMs")]
    [InlineData("top-accounts?limit=0", "limit")]
    [InlineData("top-accounts?limit=101", "limit")]
    public async Task Out_of_range_parameters_are_a_400_naming_them(string query, string field)
    {
        var problem = await (await Client.GetAsync($"/api/bank/{query}")).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }
}
