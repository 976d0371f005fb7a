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
