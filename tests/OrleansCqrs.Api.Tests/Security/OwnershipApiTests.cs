using System.Net;
using System.Text.Json;
using OrleansCqrs.Api.Tests.Accounts;
using OrleansCqrs.Bank.Accounts;

namespace OrleansCqrs.Api.Tests.Security;

/// <summary>
/// A customer acts on and reads its own accounts only: another customer's account answers exactly as a missing one
/// (404, same body), and nothing is written; an operator may act on every account. Keys belong to their caller.
/// </summary>
public sealed class OwnershipApiTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private static string NewCustomer() => $"cust-{Guid.NewGuid():N}";

    private async Task<int> EventCountAsync(string accountId) =>
        (await fixture.Host.EventStore.ReadStreamAsync($"{AccountGrain.StreamName}-{accountId}", 1, 1000)).Count;

    /// <summary>The parts of a problem that tell a caller anything (the trace id differs per request).</summary>
    /// <summary>An account of <paramref name="owner"/> with one deposit, and the deposit's answer.</summary>
    private static async Task<(string Account, JsonElement Deposited)> OpenAndDepositAsync(HttpClient client, string owner)
    {
        var account = await client.OpenAccountAsync(owner);
        return (account, await (await client.PostAsync($"/api/accounts/{account}/deposit", """{"amount":10}""")).OkAsync());
    }

    private static string Shape(JsonElement problem) =>
        $"{problem.GetProperty("status")}|{problem.GetProperty("code")}|{problem.GetProperty("title")}|{problem.GetProperty("detail")}";

    [Fact]
    public async Task A_customer_moving_money_on_another_customers_account_gets_404_and_nothing_is_recorded()
    {
        var owner = NewCustomer();
        using var alice = fixture.Host.CustomerClient(owner);
        using var mallory = fixture.Host.CustomerClient(NewCustomer());
        var account = await alice.OpenAccountAsync(owner);
        await alice.DepositAsync(account, 100);
        var missing = await (await mallory.PostAsync($"/api/accounts/acc-{Guid.NewGuid():N}/withdraw", """{"amount":1}""")).ProblemAsync(HttpStatusCode.NotFound);

        foreach (var (path, body) in new[] { ("withdraw", """{"amount":1}"""), ("deposit", """{"amount":1}"""), ("close", null) })
        {
            var refused = await (await mallory.PostAsync($"/api/accounts/{account}/{path}", body)).ProblemAsync(HttpStatusCode.NotFound);
            Assert.Equal("account-not-found", refused.GetProperty("code").GetString());
            Assert.Equal(Shape(missing), Shape(refused));
        }

        Assert.Equal(2, await EventCountAsync(account));
    }

    [Fact]
    public async Task A_customer_reading_another_customers_account_statement_or_portfolio_gets_the_404_of_a_missing_one()
    {
        var owner = NewCustomer();
        using var alice = fixture.Host.CustomerClient(owner);
        using var mallory = fixture.Host.CustomerClient(NewCustomer());
        var (account, deposited) = await OpenAndDepositAsync(alice, owner);
        var (version, position) = (deposited.GetProperty("version").GetInt64(), deposited.GetProperty("position").GetInt64());
        var missingAccount = $"acc-{Guid.NewGuid():N}";
        var nobody = NewCustomer();

        foreach (var (theirs, missing) in new[]
        {
            ($"/api/accounts/{account}?minVersion={version}", $"/api/accounts/{missingAccount}"),
            ($"/api/accounts/{account}/statement", $"/api/accounts/{missingAccount}/statement"),
            ($"/api/customers/{owner}/portfolio?minPosition={position}", $"/api/customers/{nobody}/portfolio"),
        })
        {
            // The owner reads it: it is there.
            await (await alice.GetAsync(theirs)).OkAsync();
            var refused = await (await mallory.GetAsync(theirs)).ProblemAsync(HttpStatusCode.NotFound);
            var absent = await (await mallory.GetAsync(missing)).ProblemAsync(HttpStatusCode.NotFound);
            Assert.Equal(Shape(absent), Shape(refused));
        }
    }

    /// <summary>
    /// A wait for a version of another customer's account would end when that account reached it: asked with a version
    /// it has not reached, the answer would come only at its next change, telling its version and its activity. The
    /// stranger gets the 404 before any wait.
    /// </summary>
    [Fact]
    public async Task A_customer_waiting_for_a_version_of_another_customers_account_gets_the_404_at_once()
    {
        var owner = NewCustomer();
        using var alice = fixture.Host.CustomerClient(owner);
        using var mallory = fixture.Host.CustomerClient(NewCustomer());
        var (account, deposited) = await OpenAndDepositAsync(alice, owner);
        var next = deposited.GetProperty("version").GetInt64() + 1;

        var asked = System.Diagnostics.Stopwatch.StartNew();
        await (await mallory.GetAsync($"/api/accounts/{account}?minVersion={next}&waitMs=10000")).ProblemAsync(HttpStatusCode.NotFound);

        // Well under the 10 s the wait would take: the refusal came before it, not at its end.
        Assert.True(asked.Elapsed < TimeSpan.FromSeconds(5), $"The 404 came after {asked.Elapsed.TotalSeconds:0.0} s, at the end of a wait on another customer's account.");
    }

    [Fact]
    public async Task An_operator_reads_and_moves_money_on_any_customers_account()
    {
        var owner = NewCustomer();
        using var alice = fixture.Host.CustomerClient(owner);
        using var staff = fixture.Host.OperatorClient();
        var account = await alice.OpenAccountAsync(owner);

        await staff.DepositAsync(account, 25);
        var withdrawn = await (await staff.PostAsync($"/api/accounts/{account}/withdraw", """{"amount":5}""")).OkAsync();

        var summary = await (await staff.GetAsync($"/api/accounts/{account}?minVersion=3&waitMs=5000")).OkAsync();
        Assert.Equal(20m, summary.GetProperty("balance").GetDecimal());
        await (await staff.GetAsync($"/api/accounts/{account}/statement")).OkAsync();
        await (await staff.GetAsync($"/api/customers/{owner}/portfolio?minPosition={withdrawn.GetProperty("position")}")).OkAsync();
    }

    [Fact]
    public async Task A_customer_opening_an_account_for_another_customer_gets_403()
    {
        using var mallory = fixture.Host.CustomerClient(NewCustomer());
        var victim = NewCustomer();
        var accountId = $"acc-{Guid.NewGuid():N}";

        var problem = await (await mallory.PostAsync("/api/accounts", $$"""{"customerId":"{{victim}}","currency":"EUR","accountId":"{{accountId}}"}""")).ProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal("other-customer", problem.GetProperty("code").GetString());
        Assert.Equal(0, await EventCountAsync(accountId));
        using var staff = fixture.Host.OperatorClient();
        await (await staff.GetAsync($"/api/customers/{victim}/portfolio")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_customer_opening_without_a_customer_id_opens_for_itself_and_an_operator_for_whoever_it_names()
    {
        var customer = NewCustomer();
        using var client = fixture.Host.CustomerClient(customer);
        using var staff = fixture.Host.OperatorClient();

        var own = await (await client.PostAsync("/api/accounts", """{"currency":"EUR"}""")).OkAsync(HttpStatusCode.Created);
        var opened = await (await staff.PostAsync("/api/accounts", $$"""{"customerId":"{{customer}}","currency":"CHF"}""")).OkAsync(HttpStatusCode.Created);

        var portfolio = await (await client.GetAsync($"/api/customers/{customer}/portfolio?minPosition={opened.GetProperty("position")}")).OkAsync();
        var ids = portfolio.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("accountId").GetString()).ToHashSet();
        Assert.Equal([own.GetProperty("accountId").GetString(), opened.GetProperty("accountId").GetString()], ids);
        // An operator acts for no customer: it must name one.
        var problem = await (await staff.PostAsync("/api/accounts", """{"currency":"EUR"}""")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("customerId", out _));
    }

    [Fact]
    public async Task The_same_idempotency_key_from_two_callers_is_two_deposits()
    {
        var owner = NewCustomer();
        using var alice = fixture.Host.CustomerClient(owner);
        using var staff = fixture.Host.OperatorClient();
        var account = await alice.OpenAccountAsync(owner);
        var key = $"key-{Guid.NewGuid():N}";

        await (await alice.PostAsync($"/api/accounts/{account}/deposit", """{"amount":10}""", key)).OkAsync();
        var second = await (await staff.PostAsync($"/api/accounts/{account}/deposit", """{"amount":10}""", key)).OkAsync();
        // Each caller's retry is still a retry.
        var retry = await (await staff.PostAsync($"/api/accounts/{account}/deposit", """{"amount":10}""", key)).OkAsync();

        Assert.Equal(second.GetProperty("version").GetInt64(), retry.GetProperty("version").GetInt64());
        var summary = await (await alice.GetAsync($"/api/accounts/{account}?minVersion=3&waitMs=5000")).OkAsync();
        Assert.Equal(20m, summary.GetProperty("balance").GetDecimal());
        Assert.Equal(3, await EventCountAsync(account));
    }

    [Fact]
    public async Task The_same_idempotency_key_from_two_customers_opens_two_accounts()
    {
        using var alice = fixture.Host.CustomerClient(NewCustomer());
        using var bob = fixture.Host.CustomerClient(NewCustomer());
        var key = $"key-{Guid.NewGuid():N}";

        var first = await (await alice.PostAsync("/api/accounts", """{"currency":"EUR"}""", key)).OkAsync(HttpStatusCode.Created);
        var second = await (await bob.PostAsync("/api/accounts", """{"currency":"EUR"}""", key)).OkAsync(HttpStatusCode.Created);

        Assert.NotEqual(first.GetProperty("accountId").GetString(), second.GetProperty("accountId").GetString());
    }

    [Fact]
    public async Task The_statement_says_who_did_each_entry()
    {
        var owner = NewCustomer();
        using var alice = fixture.Host.CustomerClient(owner);
        using var staff = fixture.Host.OperatorClient();
        var account = await alice.OpenAccountAsync(owner);
        await alice.DepositAsync(account, 30);
        await (await staff.PostAsync($"/api/accounts/{account}/withdraw", """{"amount":5}""")).OkAsync();

        var statement = await (await alice.GetAsync($"/api/accounts/{account}/statement")).OkAsync();

        var entries = statement.GetProperty("entries").EnumerateArray().Select(e => (e.GetProperty("kind").GetString(), e.GetProperty("by").GetString())).ToList();
        Assert.Equal([("withdrawal", "operator"), ("deposit", owner), ("opened", owner)], entries);
    }
}
