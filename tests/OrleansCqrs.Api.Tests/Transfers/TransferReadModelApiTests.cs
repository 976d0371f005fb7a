using System.Net;
using System.Text.Json;
using OrleansCqrs.Api.Tests.Accounts;
using OrleansCqrs.Bank.Transfers;
using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Api.Tests.Transfers;

/// <summary>Transfers as the HTTP reads show them: statement lines, bank totals, the portfolio's pending list.</summary>
public sealed class TransferReadModelApiTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private HttpClient Client => fixture.Client;

    private async Task<TransferView> TransferAsync(string from, string to, decimal amount)
    {
        var transfer = fixture.Host.Grains.GetGrain<ITransferGrain>($"tr-{Guid.NewGuid():N}");
        Assert.True((await transfer.Execute(new RequestTransfer(from, to, amount, "EUR", null), CommandContext.New())).IsAccepted);
        var view = await transfer.Get(TimeSpan.FromSeconds(10));
        Assert.True(view is { HasEnded: true }, $"The transfer did not end: {view}");
        return view!;
    }

    [Fact]
    public async Task Statement_totals_and_portfolio_show_a_completed_and_a_refunded_transfer()
    {
        var customer = $"cust-{Guid.NewGuid():N}";
        var from = await Client.OpenAccountAsync(customer);
        var to = await Client.OpenAccountAsync($"cust-{Guid.NewGuid():N}");
        var dollars = (await (await Client.PostAsync("/api/accounts", $$"""{"customerId":"{{customer}}","currency":"USD"}""")).OkAsync(HttpStatusCode.Created))
            .GetProperty("accountId").GetString()!;
        await Client.DepositAsync(from, 100m);

        var completed = await TransferAsync(from, to, 30m);
        var refunded = await TransferAsync(from, dollars, 10m);
        Assert.Equal((TransferView.Completed, TransferView.Failed), (completed.Status, refunded.Status));

        var statement = await (await Client.GetAsync($"/api/accounts/{from}/statement")).OkAsync();
        var lines = statement.GetProperty("entries").EnumerateArray()
            .Select(e => (Kind: e.GetProperty("kind").GetString(), Amount: e.GetProperty("amount").GetDecimal(), Balance: e.GetProperty("balanceAfter").GetDecimal(),
                Counterpart: e.GetProperty("counterpartAccountId").GetString(), Transfer: e.GetProperty("transferId").GetString()))
            .ToList();
        Assert.Equal(
            [
                ("transfer-refund", 10m, 70m, dollars, refunded.TransferId),
                ("transfer-out", 10m, 60m, dollars, refunded.TransferId),
                ("transfer-out", 30m, 70m, to, completed.TransferId),
                ("deposit", 100m, 100m, null, null),
                ("opened", 0m, 0m, null, null),
            ],
            lines);
        var received = (await (await Client.GetAsync($"/api/accounts/{to}/statement")).OkAsync()).GetProperty("entries")[0];
        Assert.Equal(("transfer-in", from, completed.TransferId), (received.GetProperty("kind").GetString(), received.GetProperty("counterpartAccountId").GetString(), received.GetProperty("transferId").GetString()));

        var head = await fixture.Host.EventStore.GetHeadPositionAsync();
        var totals = await (await Client.GetAsync($"/api/bank/totals?minPosition={head}&waitMs=5000")).OkAsync();
        var transfers = totals.GetProperty("transfers");
        Assert.Equal((2, 1, 1, 0), (transfers.GetProperty("requested").GetInt64(), transfers.GetProperty("completed").GetInt64(), transfers.GetProperty("failed").GetInt64(), transfers.GetProperty("pending").GetInt64()));
        var euro = totals.GetProperty("currencies").EnumerateArray().Single(c => c.GetProperty("currency").GetString() == "EUR");
        Assert.Equal(
            (40m, 30m, 10m, 0m, 100m),
            (euro.GetProperty("transferredOutAmount").GetDecimal(), euro.GetProperty("transferredInAmount").GetDecimal(), euro.GetProperty("returnedAmount").GetDecimal(),
                euro.GetProperty("inFlight").GetDecimal(), euro.GetProperty("balance").GetDecimal()));

        var portfolio = await (await Client.GetAsync($"/api/customers/{customer}/portfolio?minPosition={head}&waitMs=5000")).OkAsync();
        Assert.Equal(JsonValueKind.Array, portfolio.GetProperty("pendingTransfers").ValueKind);
        Assert.Empty(portfolio.GetProperty("pendingTransfers").EnumerateArray());
    }
}
