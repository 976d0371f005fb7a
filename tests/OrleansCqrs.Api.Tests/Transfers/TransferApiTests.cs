using System.Net;
using System.Text.Json;

namespace OrleansCqrs.Api.Tests.Transfers;

/// <summary>The transfer API as a client meets it: every documented status, and who may move and see what.</summary>
public sealed class TransferApiTests(TransferFixture fixture) : IClassFixture<TransferFixture>
{
    private ApiHost Host => fixture.Host;

    private static string NewCustomer() => $"cust-{Guid.NewGuid():N}";

    /// <summary>The parts of a problem that tell a caller anything (the trace id differs per request).</summary>
    private static string Shape(JsonElement problem) =>
        $"{problem.GetProperty("status")}|{problem.GetProperty("code")}|{problem.GetProperty("title")}|{problem.GetProperty("detail")}";

    [Fact]
    public async Task A_transfer_is_answered_202_with_its_location_and_completes_moving_the_money_to_another_customers_account()
    {
        var (alice, bob) = (NewCustomer(), NewCustomer());
        using var aliceClient = Host.CustomerClient(alice);
        using var bobClient = Host.CustomerClient(bob);
        var from = await aliceClient.OpenFundedAsync(alice, 100m);
        var to = await bobClient.OpenFundedAsync(bob, 0m);

        using var response = await aliceClient.TransferAsync(from, to, 30.5m);

        var accepted = await response.OkAsync(HttpStatusCode.Accepted);
        var id = accepted.GetProperty("transferId").GetString()!;
        Assert.Equal($"/api/transfers/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("pending", accepted.GetProperty("status").GetString());
        var ended = await aliceClient.EndedTransferAsync(id);
        Assert.Equal((id, from, to, 30.5m, "EUR", "completed"), (
            ended.GetProperty("transferId").GetString(), ended.GetProperty("fromAccountId").GetString(), ended.GetProperty("toAccountId").GetString(),
            ended.GetProperty("amount").GetDecimal(), ended.GetProperty("currency").GetString(), ended.GetProperty("status").GetString()));
        Assert.Equal(["requested", "debited", "credited", "completed"], ended.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString()));
        Assert.All(ended.GetProperty("steps").EnumerateArray(), s => Assert.True(s.GetProperty("at").GetDateTimeOffset() > DateTimeOffset.UnixEpoch));
        Assert.False(ended.TryGetProperty("code", out _) || ended.TryGetProperty("reason", out _), ended.ToString());
        Assert.Equal((69.5m, 30.5m), (await Host.BalanceAsync(from), await Host.BalanceAsync(to)));
    }

    [Fact]
    public async Task A_read_with_a_wait_answers_when_the_transfer_ends_and_one_whose_wait_runs_out_answers_it_pending()
    {
        var customer = NewCustomer();
        using var client = Host.CustomerClient(customer);
        var (from, to) = (await client.OpenFundedAsync(customer, 10m), await client.OpenFundedAsync(customer, 0m));
        var id = $"tr-{Guid.NewGuid():N}";
        fixture.HeldDebits.Hold(id);
        try
        {
            await (await client.TransferAsync(from, to, 5m, id)).OkAsync(HttpStatusCode.Accepted);
            var ranOut = await (await client.GetAsync($"/api/transfers/{id}?waitMs=50")).OkAsync();
            Assert.Equal("pending", ranOut.GetProperty("status").GetString());
            Assert.Equal(["requested"], ranOut.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString()));

            var read = client.GetAsync($"/api/transfers/{id}?waitMs=10000");
            // Released only once the read waits in the grain (or has answered already, which fails below).
            await Task.WhenAny(read, fixture.HeldDebits.ReadWaitingFor(id)).WaitAsync(TimeSpan.FromSeconds(20));
            fixture.HeldDebits.Release(id);

            Assert.Equal("completed", (await (await read).OkAsync()).GetProperty("status").GetString());
        }
        finally
        {
            fixture.HeldDebits.Release(id);
        }
    }

    [Fact]
    public async Task A_transfer_the_source_cannot_cover_ends_failed_with_its_code_and_reason_and_moves_nothing()
    {
        var customer = NewCustomer();
        using var client = Host.CustomerClient(customer);
        var (from, to) = (await client.OpenFundedAsync(customer, 10m), await client.OpenFundedAsync(customer, 0m));

        var ended = await client.EndedTransferAsync(await client.TransferAcceptedAsync(from, to, 30m));

        Assert.Equal(("failed", "insufficient-funds"), (ended.GetProperty("status").GetString(), ended.GetProperty("code").GetString()));
        Assert.False(string.IsNullOrEmpty(ended.GetProperty("reason").GetString()));
        Assert.Equal((10m, 0m), (await Host.BalanceAsync(from), await Host.BalanceAsync(to)));
    }

    [Theory]
    [InlineData(null, "body", null)]
    [InlineData("""{}""", "fromAccountId", null)]
    [InlineData("""{"fromAccountId":"a","amount":1}""", "toAccountId", null)]
    [InlineData("""{"fromAccountId":"a","toAccountId":"b"}""", "amount", null)]
    [InlineData("""{"fromAccountId":"a/b","toAccountId":"b","amount":1}""", "fromAccountId", null)]
    [InlineData("""{"fromAccountId":"a","toAccountId":"b","amount":1,"transferId":"no spaces"}""", "transferId", null)]
    [InlineData("""{"fromAccountId":"a","toAccountId":"a","amount":1}""", "toAccountId", "same-account")]
    [InlineData("""{"fromAccountId":"a","toAccountId":"b","amount":0}""", "amount", "invalid-amount")]
    [InlineData("""{"fromAccountId":"a","toAccountId":"b","amount":-5}""", "amount", "invalid-amount")]
    [InlineData("""{"fromAccountId":"a","toAccountId":"b","amount":0.001}""", "amount", "invalid-amount")]
    [InlineData("""{"fromAccountId":"a","toAccountId":"b","amount":1000000000.01}""", "amount", "invalid-amount")]
    [InlineData("""{"fromAccountId":"a","toAccountId":"b","amount":"10"}""", "amount", "invalid-body")]
    [InlineData("""{"fromAccountId":"a","toAccountId":"b","amount":1,"amount":2}""", "amount", "invalid-body")]
    public async Task A_bad_transfer_request_is_a_400_naming_the_field(string? body, string field, string? code)
    {
        var problem = await (await fixture.Client.PostAsync("/api/transfers", body)).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        if (code is not null)
        {
            Assert.Equal(code, problem.GetProperty("code").GetString());
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("0.001")]
    [InlineData("1000000000.01")]
    public async Task An_amount_a_withdrawal_refuses_is_refused_the_same_way_for_a_transfer(string amount)
    {
        var customer = NewCustomer();
        using var client = Host.CustomerClient(customer);
        var (from, to) = (await client.OpenFundedAsync(customer, 10m), await client.OpenFundedAsync(customer, 0m));

        var withdrawal = await (await client.PostAsync($"/api/accounts/{from}/withdraw", $$"""{"amount":{{amount}}}""")).ProblemAsync(HttpStatusCode.BadRequest);
        var transfer = await (await client.PostAsync("/api/transfers", $$"""{"fromAccountId":"{{from}}","toAccountId":"{{to}}","amount":{{amount}}}""")).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(withdrawal.GetProperty("code").GetString(), transfer.GetProperty("code").GetString());
        Assert.Equal(withdrawal.GetProperty("errors").GetProperty("amount").ToString(), transfer.GetProperty("errors").GetProperty("amount").ToString());
    }

    [Fact]
    public async Task A_malformed_idempotency_key_is_a_400()
    {
        var problem = await (await fixture.Client.PostAsync("/api/transfers", """{"fromAccountId":"a","toAccountId":"b","amount":1}""", idempotencyKey: "has space")).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("Idempotency-Key", out _), problem.ToString());
    }

    [Theory]
    [InlineData("?waitMs=10001", "waitMs")]
    [InlineData("?waitMs=-1", "waitMs")]
    public async Task A_read_with_a_wait_out_of_range_is_a_400_like_other_reads(string query, string field)
    {
        var problem = await (await fixture.Client.GetAsync($"/api/transfers/tr-1{query}")).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        await (await fixture.Client.GetAsync("/api/transfers/tr-1?waitMs=x")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_malformed_or_unknown_transfer_id_is_a_400_or_a_404()
    {
        var malformed = await (await fixture.Client.GetAsync("/api/transfers/%2e%2e%2fx")).ProblemAsync(HttpStatusCode.BadRequest);
        var unknown = await (await fixture.Client.GetAsync($"/api/transfers/tr-{Guid.NewGuid():N}?waitMs=5000")).ProblemAsync(HttpStatusCode.NotFound);

        Assert.True(malformed.GetProperty("errors").TryGetProperty("transferId", out _), malformed.ToString());
        Assert.Equal("transfer-not-found", unknown.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Anonymous_callers_get_401()
    {
        using var anonymous = Host.CreateClient();

        var posted = await (await anonymous.PostAsync("/api/transfers", """{"fromAccountId":"a","toAccountId":"b","amount":1}""")).ProblemAsync(HttpStatusCode.Unauthorized);
        var read = await (await anonymous.GetAsync("/api/transfers/tr-1")).ProblemAsync(HttpStatusCode.Unauthorized);

        Assert.Equal(["unauthenticated", "unauthenticated"], new[] { posted, read }.Select(p => p.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task A_stranger_transferring_from_another_customers_account_gets_the_404_of_a_missing_account_and_nothing_moves()
    {
        var (alice, mallory) = (NewCustomer(), NewCustomer());
        using var aliceClient = Host.CustomerClient(alice);
        using var malloryClient = Host.CustomerClient(mallory);
        var victim = await aliceClient.OpenFundedAsync(alice, 100m);
        var loot = await malloryClient.OpenFundedAsync(mallory, 0m);
        var transferId = $"tr-{Guid.NewGuid():N}";

        var refused = await (await malloryClient.TransferAsync(victim, loot, 100m, transferId)).ProblemAsync(HttpStatusCode.NotFound);
        var missing = await (await malloryClient.TransferAsync($"acc-{Guid.NewGuid():N}", loot, 100m)).ProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal("account-not-found", refused.GetProperty("code").GetString());
        Assert.Equal(Shape(missing), Shape(refused));
        Assert.Equal(0, await Host.TransferEventCountAsync(transferId));
        Assert.Equal(["bank.account.opened.v1", "bank.account.deposited.v1"], await Host.AccountEventsAsync(victim));
    }

    [Fact]
    public async Task A_customer_reading_another_customers_transfer_gets_the_404_of_an_unknown_one_and_an_operator_reads_every_transfer()
    {
        var (alice, mallory) = (NewCustomer(), NewCustomer());
        using var aliceClient = Host.CustomerClient(alice);
        using var malloryClient = Host.CustomerClient(mallory);
        var (from, to) = (await aliceClient.OpenFundedAsync(alice, 10m), await aliceClient.OpenFundedAsync(alice, 0m));
        var id = await aliceClient.TransferAcceptedAsync(from, to, 1m);

        var refused = await (await malloryClient.GetAsync($"/api/transfers/{id}?waitMs=10000")).ProblemAsync(HttpStatusCode.NotFound);
        var unknown = await (await malloryClient.GetAsync($"/api/transfers/tr-{Guid.NewGuid():N}")).ProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(Shape(unknown), Shape(refused));
        Assert.Equal("completed", (await fixture.Client.EndedTransferAsync(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_operator_transfers_from_any_customers_account()
    {
        var (alice, bob) = (NewCustomer(), NewCustomer());
        using var aliceClient = Host.CustomerClient(alice);
        using var bobClient = Host.CustomerClient(bob);
        var from = await aliceClient.OpenFundedAsync(alice, 50m);
        var to = await bobClient.OpenFundedAsync(bob, 0m);

        var ended = await fixture.Client.EndedTransferAsync(await fixture.Client.TransferAcceptedAsync(from, to, 50m));

        Assert.Equal("completed", ended.GetProperty("status").GetString());
        Assert.Equal((0m, 50m), (await Host.BalanceAsync(from), await Host.BalanceAsync(to)));
    }
}
