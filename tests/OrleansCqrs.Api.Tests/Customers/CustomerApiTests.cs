using System.Net;
using OrleansCqrs.Api.Tests.Accounts;

namespace OrleansCqrs.Api.Tests.Customers;

public sealed class CustomerApiTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task The_portfolio_read_at_the_last_write_lists_every_account_with_totals_per_currency()
    {
        var customer = $"cust-{Guid.NewGuid():N}";
        using var client = fixture.Host.CustomerClient(customer);
        long position = 0;
        foreach (var (currency, amount) in new[] { ("EUR", 10m), ("EUR", 5.5m), ("JPY", 300m) })
        {
            var created = await (await client.PostAsync("/api/accounts", $$"""{"customerId":"{{customer}}","currency":"{{currency}}"}""")).OkAsync(HttpStatusCode.Created);
            var id = created.GetProperty("accountId").GetString()!;
            var deposited = await (await client.PostAsync($"/api/accounts/{id}/deposit", $$"""{"amount":{{amount}}}""")).OkAsync();
            position = deposited.GetProperty("position").GetInt64();
        }

        var response = await client.GetAsync($"/api/customers/{customer}/portfolio?minPosition={position}");
        var portfolio = await response.OkAsync();

        Assert.False(response.Headers.Contains("X-Read-Stale"));
        Assert.Equal(3, portfolio.GetProperty("accounts").GetArrayLength());
        var balances = portfolio.GetProperty("balances").EnumerateArray()
            .ToDictionary(b => b.GetProperty("currency").GetString()!, b => b.GetProperty("balance").GetDecimal());
        Assert.Equal(new Dictionary<string, decimal> { ["EUR"] = 15.5m, ["JPY"] = 300m }, balances);
    }

    [Fact]
    public async Task A_customer_without_accounts_is_a_404_problem()
    {
        var problem = await (await Client.GetAsync($"/api/customers/nobody-{Guid.NewGuid():N}/portfolio")).ProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal("customer-not-found", problem.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("bad%20id/portfolio", "customerId")]
    [InlineData("cust-1/portfolio?minPosition=-2", "minPosition")]
    [InlineData("cust-1/portfolio?waitMs=99999", "waitMs")]
    public async Task Out_of_range_parameters_are_a_400_naming_them(string path, string field)
    {
        var problem = await (await Client.GetAsync($"/api/customers/{path}")).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }
}
