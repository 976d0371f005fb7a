using System.Net;
using Microsoft.Extensions.Options;

namespace OrleansCqrs.Api.Tests.Accounts;

/// <summary>
/// A customer holds at most <c>OrleansCqrs:Bank:MaxAccountsPerCustomer</c> accounts: a portfolio read asks each of
/// them, so without the bound one customer could make every read fan out to as many grains as it cared to open.
/// </summary>
public sealed class AccountsPerCustomerApiTests
{
    [Fact]
    public async Task A_customer_at_its_most_accounts_opens_no_more_while_retries_and_other_customers_go_through()
    {
        await using var host = new ApiHost(("OrleansCqrs:Bank:MaxAccountsPerCustomer", "2"));
        var customer = $"cust-{Guid.NewGuid():N}";
        using var client = host.CustomerClient(customer);
        using var staff = host.OperatorClient();
        var first = await (await client.PostAsync("/api/accounts", """{"currency":"EUR"}""", idempotencyKey: "first")).OkAsync(HttpStatusCode.Created);
        var second = await (await client.PostAsync("/api/accounts", """{"currency":"EUR"}""")).OkAsync(HttpStatusCode.Created);
        // The limit is checked against the read side: let it know both.
        await (await client.GetAsync($"/api/customers/{customer}/portfolio?minPosition={second.GetProperty("position").GetInt64()}")).OkAsync();

        var third = await (await client.PostAsync("/api/accounts", """{"currency":"EUR"}""")).ProblemAsync(HttpStatusCode.Conflict);
        var forThem = await (await staff.PostAsync("/api/accounts", $$"""{"customerId":"{{customer}}","currency":"EUR"}""")).ProblemAsync(HttpStatusCode.Conflict);
        var retried = await (await client.PostAsync("/api/accounts", """{"currency":"EUR"}""", idempotencyKey: "first")).OkAsync(HttpStatusCode.Created);
        using var other = host.CustomerClient($"cust-{Guid.NewGuid():N}");
        await (await other.PostAsync("/api/accounts", """{"currency":"EUR"}""")).OkAsync(HttpStatusCode.Created);

        Assert.Equal("too-many-accounts", third.GetProperty("code").GetString());
        Assert.Equal("too-many-accounts", forThem.GetProperty("code").GetString());
        Assert.Equal(first.GetProperty("accountId").GetString(), retried.GetProperty("accountId").GetString());
        var portfolio = await (await client.GetAsync($"/api/customers/{customer}/portfolio")).OkAsync();
        Assert.Equal(2, portfolio.GetProperty("accounts").GetArrayLength());
    }

    [Fact]
    public async Task A_limit_below_one_stops_the_app_from_starting_and_names_the_setting()
    {
        await using var host = new ApiHost(("OrleansCqrs:Bank:MaxAccountsPerCustomer", "0"));

        var refused = Assert.Throws<OptionsValidationException>(() => host.StartServer());

        Assert.Contains("MaxAccountsPerCustomer", refused.Message, StringComparison.Ordinal);
    }
}
