using System.Net;
using OrleansCqrs.Api.Tests.Accounts;
using OrleansCqrs.Api.Tests.Transfers;
using OrleansCqrs.Api.Transfers;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.AspNetCore;

namespace OrleansCqrs.Api.Tests.Security;

/// <summary>
/// An id derived from an Idempotency-Key can be computed by anyone who knows the caller's subject and key (an order
/// number, say). Naming it as a new account's or transfer's id would take it first, and the caller's own keyed request
/// would then be refused for good: such ids are reserved to the key.
/// </summary>
public sealed class DerivedIdSquattingTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private static string Derived(string scope, string customer, string key) =>
        IdempotencyKey.NewAggregateId(scope, key, new Actor(customer, customer, [])).ToString("N");

    [Fact]
    public async Task A_stranger_cannot_take_the_transfer_id_a_customers_key_will_derive()
    {
        var (alice, mallory) = ($"cust-{Guid.NewGuid():N}", $"cust-{Guid.NewGuid():N}");
        using var aliceClient = fixture.Host.CustomerClient(alice);
        using var malloryClient = fixture.Host.CustomerClient(mallory);
        var (from, to) = (await aliceClient.OpenFundedAsync(alice, 50m), await aliceClient.OpenFundedAsync(alice, 0m));
        var malloryAccount = await malloryClient.OpenFundedAsync(mallory, 5m);
        var key = "order-42";

        var squat = await (await malloryClient.TransferAsync(malloryAccount, to, 1m, Derived(TransferEndpoints.NewIdScope, alice, key))).ProblemAsync(HttpStatusCode.BadRequest);
        var own = await (await aliceClient.TransferAsync(from, to, 20m, idempotencyKey: key)).OkAsync(HttpStatusCode.Accepted);

        Assert.True(squat.GetProperty("errors").TryGetProperty("transferId", out _), squat.ToString());
        Assert.Equal(Derived(TransferEndpoints.NewIdScope, alice, key), own.GetProperty("transferId").GetString());
        await aliceClient.EndedTransferAsync(own.GetProperty("transferId").GetString()!);
        Assert.Equal(30m, await fixture.Host.BalanceAsync(from));
    }

    [Fact]
    public async Task A_stranger_cannot_take_the_account_id_a_customers_key_will_derive()
    {
        var (alice, mallory) = ($"cust-{Guid.NewGuid():N}", $"cust-{Guid.NewGuid():N}");
        using var aliceClient = fixture.Host.CustomerClient(alice);
        using var malloryClient = fixture.Host.CustomerClient(mallory);
        var key = "savings-1";
        var derived = Derived("open-account", alice, key);

        var squat = await (await malloryClient.PostAsync("/api/accounts", $$"""{"currency":"EUR","accountId":"{{derived}}"}""")).ProblemAsync(HttpStatusCode.BadRequest);
        var own = await (await aliceClient.PostAsync("/api/accounts", """{"currency":"EUR"}""", idempotencyKey: key)).OkAsync(HttpStatusCode.Created);

        Assert.True(squat.GetProperty("errors").TryGetProperty("accountId", out _), squat.ToString());
        Assert.Equal(derived, own.GetProperty("accountId").GetString());
    }

    [Fact]
    public async Task Ids_a_client_picks_from_fresh_uuids_are_taken()
    {
        var customer = $"cust-{Guid.NewGuid():N}";
        using var client = fixture.Host.CustomerClient(customer);
        var chosen = Guid.NewGuid().ToString("N");

        var opened = await (await client.PostAsync("/api/accounts", $$"""{"currency":"EUR","accountId":"{{chosen}}"}""")).OkAsync(HttpStatusCode.Created);

        Assert.Equal(chosen, opened.GetProperty("accountId").GetString());
    }
}
