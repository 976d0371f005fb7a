using System.Net;

namespace OrleansCqrs.Api.Tests.Transfers;

/// <summary>
/// A transfer id (given, or derived from the caller's Idempotency-Key) names one transfer: the same request again is
/// that transfer (202, no second debit), another request under the same id is a 422.
/// </summary>
public sealed class TransferIdempotencyApiTests(TransferFixture fixture) : IClassFixture<TransferFixture>
{
    private ApiHost Host => fixture.Host;

    private static string NewCustomer() => $"cust-{Guid.NewGuid():N}";

    private async Task<int> DebitsOfAsync(string accountId) =>
        (await Host.AccountEventsAsync(accountId)).Count(type => type == "bank.account.transfer-sent.v1");

    [Fact]
    public async Task The_same_transfer_id_and_body_are_the_same_transfer_before_and_after_it_ends_and_debit_once()
    {
        var customer = NewCustomer();
        using var client = Host.CustomerClient(customer);
        var (from, to) = (await client.OpenFundedAsync(customer, 100m), await client.OpenFundedAsync(customer, 0m));
        var id = $"tr-{Guid.NewGuid():N}";

        var first = await (await client.TransferAsync(from, to, 40m, id)).OkAsync(HttpStatusCode.Accepted);
        var again = await (await client.TransferAsync(from, to, 40.00m, id)).OkAsync(HttpStatusCode.Accepted);
        await client.EndedTransferAsync(id);
        var afterEnd = await (await client.TransferAsync(from, to, 40m, id)).OkAsync(HttpStatusCode.Accepted);

        Assert.Equal([id, id, id], new[] { first, again, afterEnd }.Select(a => a.GetProperty("transferId").GetString()));
        Assert.Equal("completed", afterEnd.GetProperty("status").GetString());
        Assert.Equal(1, await DebitsOfAsync(from));
        Assert.Equal((60m, 40m), (await Host.BalanceAsync(from), await Host.BalanceAsync(to)));
    }

    [Fact]
    public async Task The_same_transfer_id_with_another_body_is_a_422_and_changes_nothing()
    {
        var customer = NewCustomer();
        using var client = Host.CustomerClient(customer);
        var (from, to, other) = (await client.OpenFundedAsync(customer, 100m), await client.OpenFundedAsync(customer, 0m), await client.OpenFundedAsync(customer, 0m));
        var id = $"tr-{Guid.NewGuid():N}";
        await client.EndedTransferAsync((await (await client.TransferAsync(from, to, 40m, id)).OkAsync(HttpStatusCode.Accepted)).GetProperty("transferId").GetString()!);

        foreach (var (source, destination, amount) in new[] { (from, to, 41m), (from, other, 40m), (other, to, 40m) })
        {
            var problem = await (await client.TransferAsync(source, destination, amount, id)).ProblemAsync(HttpStatusCode.UnprocessableEntity);
            Assert.Equal("command-id-reused", problem.GetProperty("code").GetString());
        }

        Assert.Equal(1, await DebitsOfAsync(from));
        Assert.Equal((60m, 40m, 0m), (await Host.BalanceAsync(from), await Host.BalanceAsync(to), await Host.BalanceAsync(other)));
    }

    [Fact]
    public async Task The_same_idempotency_key_and_body_are_the_same_transfer_and_another_body_is_a_422()
    {
        var customer = NewCustomer();
        using var client = Host.CustomerClient(customer);
        var (from, to) = (await client.OpenFundedAsync(customer, 100m), await client.OpenFundedAsync(customer, 0m));
        var key = $"key-{Guid.NewGuid():N}";

        var first = await (await client.TransferAsync(from, to, 25m, idempotencyKey: key)).OkAsync(HttpStatusCode.Accepted);
        var again = await (await client.TransferAsync(from, to, 25m, idempotencyKey: key)).OkAsync(HttpStatusCode.Accepted);
        var other = await (await client.TransferAsync(from, to, 26m, idempotencyKey: key)).ProblemAsync(HttpStatusCode.UnprocessableEntity);

        var id = first.GetProperty("transferId").GetString()!;
        Assert.Equal(id, again.GetProperty("transferId").GetString());
        Assert.Equal("command-id-reused", other.GetProperty("code").GetString());
        await client.EndedTransferAsync(id);
        Assert.Equal(1, await DebitsOfAsync(from));
        Assert.Equal(75m, await Host.BalanceAsync(from));
    }

    [Fact]
    public async Task An_idempotency_key_sent_empty_or_twice_is_a_400_and_requests_no_transfer()
    {
        var customer = NewCustomer();
        using var client = Host.CustomerClient(customer);
        var (from, to) = (await client.OpenFundedAsync(customer, 100m), await client.OpenFundedAsync(customer, 0m));
        var body = $$"""{"fromAccountId":"{{from}}","toAccountId":"{{to}}","amount":5}""";

        var empty = await (await client.TransferAsync(from, to, 5m, idempotencyKey: "")).ProblemAsync(HttpStatusCode.BadRequest);
        var (status, response) = await client.PostLinesAsync("/api/transfers", body, "Idempotency-Key: k-1", "Idempotency-Key: k-2");

        Assert.True(empty.GetProperty("errors").TryGetProperty("Idempotency-Key", out _), empty.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Send one Idempotency-Key, not several.", response, StringComparison.Ordinal);
        Assert.Equal(0, await DebitsOfAsync(from));
        Assert.Equal(100m, await Host.BalanceAsync(from));
    }

    [Fact]
    public async Task An_idempotency_key_belongs_to_its_caller_another_customers_same_key_is_another_transfer()
    {
        var (alice, bob) = (NewCustomer(), NewCustomer());
        using var aliceClient = Host.CustomerClient(alice);
        using var bobClient = Host.CustomerClient(bob);
        var (aliceFrom, aliceTo) = (await aliceClient.OpenFundedAsync(alice, 10m), await aliceClient.OpenFundedAsync(alice, 0m));
        var (bobFrom, bobTo) = (await bobClient.OpenFundedAsync(bob, 10m), await bobClient.OpenFundedAsync(bob, 0m));
        const string key = "order-1";

        var aliceTransfer = await (await aliceClient.TransferAsync(aliceFrom, aliceTo, 1m, idempotencyKey: key)).OkAsync(HttpStatusCode.Accepted);
        var bobTransfer = await (await bobClient.TransferAsync(bobFrom, bobTo, 2m, idempotencyKey: key)).OkAsync(HttpStatusCode.Accepted);

        Assert.NotEqual(aliceTransfer.GetProperty("transferId").GetString(), bobTransfer.GetProperty("transferId").GetString());
        Assert.Equal("completed", (await bobClient.EndedTransferAsync(bobTransfer.GetProperty("transferId").GetString()!)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_retry_after_the_source_was_emptied_and_closed_is_still_the_same_accepted_transfer()
    {
        var customer = NewCustomer();
        using var client = Host.CustomerClient(customer);
        var (from, to) = (await client.OpenFundedAsync(customer, 100m), await client.OpenFundedAsync(customer, 0m));
        var id = $"tr-{Guid.NewGuid():N}";
        await (await client.TransferAsync(from, to, 100m, id)).OkAsync(HttpStatusCode.Accepted);
        await client.EndedTransferAsync(id);
        var closed = await (await client.PostAsync($"/api/accounts/{from}/close", null)).OkAsync();
        // The read side knows the source is closed: only the transfer's own record can accept the retry.
        var summary = await (await client.GetAsync($"/api/accounts/{from}?minVersion={closed.GetProperty("version")}&waitMs=10000")).OkAsync();
        Assert.Equal("Closed", summary.GetProperty("status").GetString());

        var retried = await (await client.TransferAsync(from, to, 100m, id)).OkAsync(HttpStatusCode.Accepted);

        Assert.Equal("completed", retried.GetProperty("status").GetString());
        Assert.Equal(1, await DebitsOfAsync(from));
    }
}
