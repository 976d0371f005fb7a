using System.Net;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.EventStore.InMemory;

namespace OrleansCqrs.Api.Tests.Accounts;

/// <summary>One started API host and its client for a test class; derive to start it with other settings.</summary>
public class ApiHostFixture : IAsyncLifetime
{
    public ApiHostFixture()
        : this(new ApiHost())
    {
    }

    protected ApiHostFixture(ApiHost host) => Host = host;

    public ApiHost Host { get; }

    public HttpClient Client { get; private set; } = null!;

    public ValueTask InitializeAsync()
    {
        Host.StartServer();
        // Most tests are about what commands and reads do, not who may send them: an operator may do everything.
        Client = Host.OperatorClient();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
    }
}

/// <summary>The command API as a user meets it: every documented status for every documented case.</summary>
public sealed class AccountCommandApiTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private HttpClient Client => fixture.Client;

    private static string NewId() => $"acc-{Guid.NewGuid():N}";

    private async Task<string> OpenAsync(decimal deposit = 0m)
    {
        var id = NewId();
        await (await Client.PostAsync("/api/accounts", $$"""{"customerId":"cust-1","currency":"EUR","accountId":"{{id}}"}""")).OkAsync(HttpStatusCode.Created);
        if (deposit > 0)
        {
            await (await Client.PostAsync($"/api/accounts/{id}/deposit", $$"""{"amount":{{deposit}}}""")).OkAsync();
        }

        return id;
    }

    private async Task<int> EventCountAsync(string accountId) =>
        (await fixture.Host.EventStore.ReadStreamAsync($"{AccountGrain.StreamName}-{accountId}", 1, 1000)).Count;

    [Fact]
    public async Task Opening_an_account_returns_201_with_its_location_version_and_position()
    {
        var response = await Client.PostAsync("/api/accounts", """{"customerId":"cust-9","currency":"chf"}""");

        var body = await response.OkAsync(HttpStatusCode.Created);
        var id = body.GetProperty("accountId").GetString()!;
        Assert.Equal($"/api/accounts/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(1, body.GetProperty("version").GetInt64());
        Assert.True(body.GetProperty("position").GetInt64() > 0);
        Assert.Equal(new AccountView(id, "cust-9", "CHF", 0m, AccountStatus.Open, 1), await fixture.Host.Grains.GetGrain<IAccountGrain>(id).Get());
    }

    [Fact]
    public async Task Deposit_withdraw_and_close_return_200_with_the_new_version()
    {
        var id = await OpenAsync();

        var deposit = await (await Client.PostAsync($"/api/accounts/{id}/deposit", """{"amount":120.50}""")).OkAsync();
        var withdraw = await (await Client.PostAsync($"/api/accounts/{id}/withdraw", """{"amount":120.5}""")).OkAsync();
        var close = await (await Client.PostAsync($"/api/accounts/{id}/close", null)).OkAsync();

        Assert.Equal([2L, 3, 4], new[] { deposit, withdraw, close }.Select(b => b.GetProperty("version").GetInt64()));
        Assert.Equal(id, close.GetProperty("accountId").GetString());
        Assert.Equal(AccountStatus.Closed, (await fixture.Host.Grains.GetGrain<IAccountGrain>(id).Get())!.Status);
    }

    [Fact]
    public async Task Business_rule_violations_are_409_problems_with_a_code()
    {
        var id = await OpenAsync(deposit: 10m);

        var overdraft = await (await Client.PostAsync($"/api/accounts/{id}/withdraw", """{"amount":10.01}""")).ProblemAsync(HttpStatusCode.Conflict);
        var closeWithMoney = await (await Client.PostAsync($"/api/accounts/{id}/close", null)).ProblemAsync(HttpStatusCode.Conflict);
        await (await Client.PostAsync($"/api/accounts/{id}/withdraw", """{"amount":10}""")).OkAsync();
        await (await Client.PostAsync($"/api/accounts/{id}/close", null)).OkAsync();
        var onClosed = await (await Client.PostAsync($"/api/accounts/{id}/deposit", """{"amount":1}""")).ProblemAsync(HttpStatusCode.Conflict);
        var reopen = await (await Client.PostAsync("/api/accounts", $$"""{"customerId":"cust-1","currency":"EUR","accountId":"{{id}}"}""")).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("insufficient-funds", overdraft.GetProperty("code").GetString());
        Assert.Equal("balance-not-zero", closeWithMoney.GetProperty("code").GetString());
        Assert.Equal("account-closed", onClosed.GetProperty("code").GetString());
        Assert.Equal("account-exists", reopen.GetProperty("code").GetString());
        Assert.Equal(4, await EventCountAsync(id));
    }

    [Fact]
    public async Task An_unknown_account_is_a_404_problem()
    {
        var problem = await (await Client.PostAsync($"/api/accounts/{NewId()}/deposit", """{"amount":1}""")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Client.PostAsync($"/api/accounts/{NewId()}/close", null)).ProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal("account-not-found", problem.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("""{"amount":"10"}""", "amount")]
    [InlineData("""{"amount":true}""", "amount")]
    [InlineData("""{"amount":1e400}""", "amount")]
    [InlineData("""{"amount":0}""", "amount")]
    [InlineData("""{"amount":-3}""", "amount")]
    [InlineData("""{"amount":1.005}""", "amount")]
    [InlineData("""{"amount":1000000000.01}""", "amount")]
    [InlineData("""{}""", "amount")]
    [InlineData("""{"amount":""", "amount")]
    [InlineData("""[1,2]""", "body")]
    [InlineData("""not json""", "body")]
    [InlineData("""{"amount":1,"amount":50}""", "amount")]
    [InlineData(null, "body")]
    public async Task A_bad_amount_body_is_a_400_naming_the_field_and_changes_nothing(string? body, string field)
    {
        var id = await OpenAsync(deposit: 50m);

        var problem = await (await Client.PostAsync($"/api/accounts/{id}/withdraw", body)).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        // Every 400 has a code; a body missing or not JSON is one fault with one code, whichever part finds it.
        var code = problem.GetProperty("code").GetString();
        if (field == "body")
        {
            Assert.Equal("invalid-body", code);
        }
        Assert.Equal(2, await EventCountAsync(id));
    }

    [Theory]
    [InlineData("""{"customerId":"cust-1","currency":"EURO"}""", "currency")]
    [InlineData("""{"customerId":"cust-1","currency":"ABC"}""", "currency")]
    [InlineData("""{"customerId":"cust-1","currency":7}""", "currency")]
    [InlineData("""{"customerId":"cust-1"}""", "currency")]
    [InlineData("""{"currency":"EUR"}""", "customerId")]
    [InlineData("""{"customerId":"a b","currency":"EUR"}""", "customerId")]
    [InlineData("""{"customerId":"cust-1","currency":"EUR","accountId":"bad/id"}""", "accountId")]
    public async Task A_bad_open_request_is_a_400_naming_the_field(string body, string field)
    {
        var problem = await (await Client.PostAsync("/api/accounts", body)).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task A_malformed_account_id_in_the_path_is_a_400()
    {
        var problem = await (await Client.PostAsync($"/api/accounts/{new string('x', 65)}/deposit", """{"amount":1}""")).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("accountId", out _));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_415_problem()
    {
        var id = await OpenAsync();

        var problems = new[]
        {
            await (await Client.PostAsync($"/api/accounts/{id}/deposit", """{"amount":1}""", contentType: "text/plain")).ProblemAsync(HttpStatusCode.UnsupportedMediaType),
            await (await Client.PostAsync($"/api/accounts/{id}/deposit", "amount=1", contentType: "application/x-www-form-urlencoded")).ProblemAsync(HttpStatusCode.UnsupportedMediaType),
            await (await Client.PostAsync("/api/transfers", """{"fromAccountId":"a","toAccountId":"b","amount":1}""", contentType: "text/plain")).ProblemAsync(HttpStatusCode.UnsupportedMediaType),
        };

        Assert.All(problems, problem => Assert.Equal("unsupported-media-type", problem.GetProperty("code").GetString()));
        Assert.Equal(1, await EventCountAsync(id));
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413_problem()
    {
        var id = await OpenAsync();
        var huge = $$"""{"amount":1,"padding":"{{new string('x', 64 * 1024)}}"}""";

        var problems = new[]
        {
            await (await Client.PostAsync($"/api/accounts/{id}/deposit", huge)).ProblemAsync(HttpStatusCode.RequestEntityTooLarge),
            await (await Client.PostAsync("/api/transfers", huge)).ProblemAsync(HttpStatusCode.RequestEntityTooLarge),
        };

        Assert.All(problems, problem => Assert.Equal("body-too-large", problem.GetProperty("code").GetString()));
        Assert.Equal(1, await EventCountAsync(id));
    }

    [Fact]
    public async Task The_same_idempotency_key_and_body_return_the_same_response_without_a_new_event()
    {
        var id = await OpenAsync(deposit: 100m);
        var key = $"key-{Guid.NewGuid():N}";

        var first = await (await Client.PostAsync($"/api/accounts/{id}/withdraw", """{"amount":100}""", key)).OkAsync();
        // Balance is zero now: only recognising the retry keeps this a 200.
        var retry = await (await Client.PostAsync($"/api/accounts/{id}/withdraw", """{"amount":100.00}""", key)).OkAsync();

        Assert.Equal(first.ToString(), retry.ToString());
        Assert.Equal(3, await EventCountAsync(id));
    }

    [Fact]
    public async Task A_rejected_command_retried_with_its_key_after_the_balance_grew_gets_the_same_409()
    {
        var id = await OpenAsync(deposit: 50m);
        var key = $"key-{Guid.NewGuid():N}";

        var refused = await (await Client.PostAsync($"/api/accounts/{id}/withdraw", """{"amount":100}""", key)).ProblemAsync(HttpStatusCode.Conflict);
        await (await Client.PostAsync($"/api/accounts/{id}/deposit", """{"amount":100}""")).OkAsync();
        // The client was told no; a proxy resending the request must not make the money leave now.
        var retry = await (await Client.PostAsync($"/api/accounts/{id}/withdraw", """{"amount":100}""", key)).ProblemAsync(HttpStatusCode.Conflict);
        var reused = await (await Client.PostAsync($"/api/accounts/{id}/withdraw", """{"amount":99}""", key)).ProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(WithoutTraceId(refused), WithoutTraceId(retry));
        Assert.Equal("insufficient-funds", retry.GetProperty("code").GetString());
        Assert.Equal("command-id-reused", reused.GetProperty("code").GetString());
        Assert.Equal(150m, (await fixture.Host.Grains.GetGrain<IAccountGrain>(id).Get())!.Balance);
        Assert.Equal(3, await EventCountAsync(id));
    }

    private static string WithoutTraceId(System.Text.Json.JsonElement problem) =>
        string.Join(",", problem.EnumerateObject().Where(p => p.Name != "traceId").Select(p => $"{p.Name}={p.Value}"));

    [Fact]
    public async Task The_same_idempotency_key_with_another_body_is_a_422_problem()
    {
        var id = await OpenAsync(deposit: 100m);
        var key = $"key-{Guid.NewGuid():N}";
        await (await Client.PostAsync($"/api/accounts/{id}/deposit", """{"amount":5}""", key)).OkAsync();

        await (await Client.PostAsync($"/api/accounts/{id}/deposit", """{"amount":6}""", key)).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await Client.PostAsync($"/api/accounts/{id}/withdraw", """{"amount":5}""", key)).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(3, await EventCountAsync(id));
    }

    [Fact]
    public async Task Opening_with_an_idempotency_key_and_no_account_id_opens_one_account_once()
    {
        var key = $"key-{Guid.NewGuid():N}";

        var first = await Client.PostAsync("/api/accounts", """{"customerId":"cust-1","currency":"EUR"}""", key);
        var retry = await Client.PostAsync("/api/accounts", """{"customerId":"cust-1","currency":"EUR"}""", key);
        var other = await Client.PostAsync("/api/accounts", """{"customerId":"cust-2","currency":"EUR"}""", key);

        var body = await first.OkAsync(HttpStatusCode.Created);
        Assert.Equal(body.ToString(), (await retry.OkAsync(HttpStatusCode.Created)).ToString());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        await other.ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(1, await EventCountAsync(body.GetProperty("accountId").GetString()!));
    }

    [Fact]
    public async Task A_currency_written_in_another_case_is_the_same_open_request_to_a_retry()
    {
        var key = $"key-{Guid.NewGuid():N}";

        var first = await (await Client.PostAsync("/api/accounts", """{"customerId":"cust-1","currency":"usd"}""", key)).OkAsync(HttpStatusCode.Created);
        var retry = await (await Client.PostAsync("/api/accounts", """{"customerId":"cust-1","currency":"USD"}""", key)).OkAsync(HttpStatusCode.Created);

        Assert.Equal(first.ToString(), retry.ToString());
        Assert.Equal(1, await EventCountAsync(first.GetProperty("accountId").GetString()!));
    }

    [Fact]
    public async Task A_deposit_refused_as_not_found_and_retried_with_its_key_once_the_account_is_opened_gets_the_same_404()
    {
        var (id, key) = (NewId(), $"key-{Guid.NewGuid():N}");

        var refused = await (await Client.PostAsync($"/api/accounts/{id}/deposit", """{"amount":7}""", key)).ProblemAsync(HttpStatusCode.NotFound);
        await (await Client.PostAsync("/api/accounts", $$"""{"customerId":"cust-1","currency":"EUR","accountId":"{{id}}"}""")).OkAsync(HttpStatusCode.Created);
        var retry = await (await Client.PostAsync($"/api/accounts/{id}/deposit", """{"amount":7}""", key)).ProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(WithoutTraceId(refused), WithoutTraceId(retry));
        Assert.Equal(1, await EventCountAsync(id));
    }

    [Fact]
    public async Task A_malformed_idempotency_key_is_a_400()
    {
        var id = await OpenAsync();

        await (await Client.PostAsync($"/api/accounts/{id}/deposit", """{"amount":1}""", new string('k', 201))).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_idempotency_key_sent_empty_or_twice_is_a_400_and_runs_nothing()
    {
        var id = await OpenAsync(deposit: 10m);
        const string Withdraw = """{"amount":1}""";

        // A client that meant its command to be safe to retry: run as a command without a key, each retry would move
        // the money again.
        var problems = new[]
        {
            await (await Client.PostAsync($"/api/accounts/{id}/withdraw", Withdraw, "")).ProblemAsync(HttpStatusCode.BadRequest),
            await (await Client.PostAsync($"/api/accounts/{id}/close", null, "")).ProblemAsync(HttpStatusCode.BadRequest),
            await (await Client.PostAsync("/api/accounts", """{"customerId":"cust-1","currency":"EUR"}""", "")).ProblemAsync(HttpStatusCode.BadRequest),
        };
        var (status, response) = await Client.PostLinesAsync($"/api/accounts/{id}/withdraw", Withdraw, "Idempotency-Key: k-1", "Idempotency-Key: k-2");

        Assert.All(problems, problem => Assert.True(problem.GetProperty("errors").TryGetProperty("Idempotency-Key", out _), problem.ToString()));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Send one Idempotency-Key, not several.", response, StringComparison.Ordinal);
        Assert.Equal(2, await EventCountAsync(id));
    }

    [Fact]
    public async Task A_key_with_commas_is_one_key()
    {
        var id = await OpenAsync(deposit: 10m);
        const string Key = "order-7,line-2";

        var first = await (await Client.PostAsync($"/api/accounts/{id}/withdraw", """{"amount":1}""", Key)).OkAsync();
        var retry = await (await Client.PostAsync($"/api/accounts/{id}/withdraw", """{"amount":1}""", Key)).OkAsync();

        Assert.Equal(first.ToString(), retry.ToString());
        Assert.Equal(3, await EventCountAsync(id));
    }

    [Fact]
    public async Task An_unavailable_store_is_a_503_with_retry_after_and_a_retry_then_succeeds_once()
    {
        var id = await OpenAsync(deposit: 10m);
        var store = Assert.IsType<InMemoryEventStore>(fixture.Host.EventStore);
        var key = $"key-{Guid.NewGuid():N}";

        store.SimulateOutage = true;
        HttpResponseMessage during;
        try
        {
            during = await Client.PostAsync($"/api/accounts/{id}/deposit", """{"amount":5}""", key);
        }
        finally
        {
            store.SimulateOutage = false;
        }

        var problem = await during.ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("store-unavailable", problem.GetProperty("code").GetString());
        Assert.Equal(TimeSpan.FromSeconds(5), during.Headers.RetryAfter?.Delta);
        await (await Client.PostAsync($"/api/accounts/{id}/deposit", """{"amount":5}""", key)).OkAsync();
        await (await Client.PostAsync($"/api/accounts/{id}/deposit", """{"amount":5}""", key)).OkAsync();
        Assert.Equal(15m, (await fixture.Host.Grains.GetGrain<IAccountGrain>(id).Get())!.Balance);
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_problem()
    {
        await (await Client.PostAsync("/api/nothing-here", "{}")).ProblemAsync(HttpStatusCode.NotFound);
    }
}
