using System.Text.Json;
using OrleansCqrs.Api.Tests.Accounts;
using OrleansCqrs.Bank.Transfers;
using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Api.Tests.Live;

/// <summary>Transfer status changes on the live feed: the source's side sees each one, the destination's only the money that arrived.</summary>
public sealed class LiveTransferTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task The_source_customer_sees_a_transfer_pending_then_completed_and_the_destination_only_completed()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var (payer, payee) = ($"cust-{Guid.NewGuid():N}", $"cust-{Guid.NewGuid():N}");
        var from = await Client.OpenAccountAsync(payer);
        var to = await Client.OpenAccountAsync(payee);
        await Client.DepositAsync(from, 100m);
        using var source = await SseListener.OpenAsync(Client, $"?customerId={payer}", deadline.Token);
        using var destination = await SseListener.OpenAsync(Client, $"?accountId={to}", deadline.Token);

        var transferId = $"tr-{Guid.NewGuid():N}";
        var requested = await fixture.Host.Grains.GetGrain<ITransferGrain>(transferId)
            .Execute(new RequestTransfer(from, to, 30m, "EUR", null), CommandContext.New());
        Assert.True(requested.IsAccepted, requested.Rejection?.Message);

        var first = await NextOfAsync(source, transferId, deadline.Token);
        Assert.Equal(("pending", from, to, 30m), (first.GetProperty("status").GetString(), first.GetProperty("fromAccountId").GetString(), first.GetProperty("toAccountId").GetString(), first.GetProperty("amount").GetDecimal()));
        Assert.Equal("completed", (await NextOfAsync(source, transferId, deadline.Token)).GetProperty("status").GetString());
        Assert.Equal("completed", (await NextOfAsync(destination, transferId, deadline.Token)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_customer_never_sees_another_customers_attempt_on_its_account_and_the_requester_sees_it_fail()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var (owner, intruder) = ($"cust-{Guid.NewGuid():N}", $"cust-{Guid.NewGuid():N}");
        var victim = await Client.OpenAccountAsync(owner);
        var elsewhere = await Client.OpenAccountAsync(intruder);
        await Client.DepositAsync(victim, 100m);
        using var ownerFeed = await SseListener.OpenAsync(Client, $"?customerId={owner}", deadline.Token);
        using var ownerAccountFeed = await SseListener.OpenAsync(fixture.Host.CustomerClient(owner), $"?accountId={victim}", deadline.Token);
        using var intruderFeed = await SseListener.OpenAsync(Client, $"?customerId={intruder}", deadline.Token);

        // Another customer asks to move the owner's money: the source refuses it at the debit.
        var attempt = $"tr-{Guid.NewGuid():N}";
        Assert.True((await fixture.Host.Grains.GetGrain<ITransferGrain>(attempt)
            .Execute(new RequestTransfer(victim, elsewhere, 10m, "EUR", intruder), CommandContext.New())).IsAccepted);
        Assert.Equal("pending", (await NextOfAsync(intruderFeed, attempt, deadline.Token)).GetProperty("status").GetString());
        var failed = await NextOfAsync(intruderFeed, attempt, deadline.Token);
        Assert.Equal(("failed", "account-not-found"), (failed.GetProperty("status").GetString(), failed.GetProperty("code").GetString()));

        // Then the owner's own transfer: the first transfer change either of the owner's listeners sees must be it.
        var own = $"tr-{Guid.NewGuid():N}";
        Assert.True((await fixture.Host.Grains.GetGrain<ITransferGrain>(own)
            .Execute(new RequestTransfer(victim, elsewhere, 5m, "EUR", owner), CommandContext.New())).IsAccepted);
        Assert.Equal(own, (await ownerFeed.NextTransferEventAsync(deadline.Token)).GetProperty("transferId").GetString());
        Assert.Equal(own, (await ownerAccountFeed.NextTransferEventAsync(deadline.Token)).GetProperty("transferId").GetString());
    }

    private static async Task<JsonElement> NextOfAsync(SseListener listener, string transferId, CancellationToken deadline)
    {
        while (true)
        {
            var change = await listener.NextTransferEventAsync(deadline);
            if (change.GetProperty("transferId").GetString() == transferId)
            {
                return change;
            }
        }
    }
}
