using System.Net;
using System.Text.Json;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Accounts.Summary;
using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Api.Tests.Transfers;

/// <summary>
/// Validation that reads another model: the accounts' summaries refuse a transfer up front (no money moves, and a
/// retry gets the same refusal), a summary not there yet is settled by the account itself, and a summary that says
/// open about an account already closed lets the transfer through, where the account refuses the credit and the money
/// goes back.
/// </summary>
public sealed class TransferReadSideTests(TransferFixture fixture) : IClassFixture<TransferFixture>
{
    private static readonly string[] RefundedSteps = ["requested", "debited", "credit-refused", "refunded", "failed"];

    private ApiHost Host => fixture.Host;

    private HttpClient Client => fixture.Client;

    private static string NewTransferId() => $"tr-{Guid.NewGuid():N}";

    private Task<string> OpenAsync(decimal deposit, string currency = "EUR") => Client.OpenFundedAsync("cust-rs", deposit, currency);

    private async Task CloseAsync(string accountId)
    {
        var closed = await (await Client.PostAsync($"/api/accounts/{accountId}/close", null)).OkAsync();
        // The read side has applied it: a refusal below comes from the summary, whatever the aggregate would say.
        await (await Client.GetAsync($"/api/accounts/{accountId}?minVersion={closed.GetProperty("version")}&waitMs=10000")).OkAsync();
    }

    /// <summary>Asserts the refusal, and that neither a transfer nor a movement of money was recorded.</summary>
    private async Task AssertRefusedUpFrontAsync(string from, string to, HttpStatusCode status, string code)
    {
        var id = NewTransferId();
        var sourceEvents = await Host.AccountEventsAsync(from);

        var problem = await (await Client.TransferAsync(from, to, 10m, id)).ProblemAsync(status);

        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal(0, await Host.TransferEventCountAsync(id));
        Assert.Equal(sourceEvents, await Host.AccountEventsAsync(from));
    }

    [Fact]
    public async Task A_missing_destination_is_a_404_and_nothing_is_recorded() =>
        await AssertRefusedUpFrontAsync(await OpenAsync(100m), $"acc-{Guid.NewGuid():N}", HttpStatusCode.NotFound, "account-not-found");

    /// <summary>
    /// Account ids are the client's to choose, so "no such account" can stop being true: a refusal up front under a
    /// chosen transfer id (or Idempotency-Key) is that transfer's answer for good, as any refused command's is.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_refusal_up_front_answers_every_retry_even_once_the_missing_account_is_opened(bool byTransferId)
    {
        var from = await OpenAsync(100m);
        var missing = $"acc-{Guid.NewGuid():N}";
        var (transferId, key) = byTransferId ? (NewTransferId(), null) : ((string?)null, Guid.NewGuid().ToString("N"));
        var sourceEvents = await Host.AccountEventsAsync(from);

        var refused = await (await Client.TransferAsync(from, missing, 10m, transferId, key)).ProblemAsync(HttpStatusCode.NotFound);
        await (await Client.PostAsync("/api/accounts", $$"""{"customerId":"cust-rs","currency":"EUR","accountId":"{{missing}}"}""")).OkAsync(HttpStatusCode.Created);
        var retried = await (await Client.TransferAsync(from, missing, 10m, transferId, key)).ProblemAsync(HttpStatusCode.NotFound);
        var otherBody = await (await Client.TransferAsync(from, missing, 11m, transferId, key)).ProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal("account-not-found", refused.GetProperty("code").GetString());
        Assert.Equal("account-not-found", retried.GetProperty("code").GetString());
        Assert.Equal("command-id-reused", otherBody.GetProperty("code").GetString());
        Assert.Equal(sourceEvents, await Host.AccountEventsAsync(from));
        // The account opened since holds its opening alone: no money moved either way.
        Assert.Single(await Host.AccountEventsAsync(missing));
    }

    [Fact]
    public async Task A_currency_mismatch_retried_under_its_transfer_id_is_a_422_again()
    {
        var (from, to, id) = (await OpenAsync(100m), await OpenAsync(0m, "USD"), NewTransferId());

        foreach (var attempt in new[] { "first", "retry" })
        {
            var problem = await (await Client.TransferAsync(from, to, 10m, id)).ProblemAsync(HttpStatusCode.UnprocessableEntity);
            Assert.True(problem.GetProperty("code").GetString() == "currency-mismatch", $"The {attempt} answer was {problem}.");
        }
    }

    [Fact]
    public async Task A_closed_source_or_destination_is_a_409_and_nothing_is_recorded()
    {
        var (open, closedSource, closedDestination) = (await OpenAsync(100m), await OpenAsync(0m), await OpenAsync(0m));
        await CloseAsync(closedSource);
        await CloseAsync(closedDestination);

        await AssertRefusedUpFrontAsync(open, closedDestination, HttpStatusCode.Conflict, "account-closed");
        await AssertRefusedUpFrontAsync(closedSource, open, HttpStatusCode.Conflict, "account-closed");
    }

    [Fact]
    public async Task A_destination_in_another_currency_is_a_422_and_nothing_is_recorded() =>
        await AssertRefusedUpFrontAsync(await OpenAsync(100m), await OpenAsync(0m, "USD"), HttpStatusCode.UnprocessableEntity, "currency-mismatch");

    [Fact]
    public async Task Accounts_whose_summaries_are_not_there_yet_are_checked_against_the_accounts_themselves()
    {
        var (from, to, closed) = (await OpenAsync(100m), await OpenAsync(0m), await OpenAsync(0m));
        await CloseAsync(closed);
        foreach (var account in new[] { from, to, closed })
        {
            fixture.Races.HideSummaryOf(account);
        }

        var ended = await Client.EndedTransferAsync(await Client.TransferAcceptedAsync(from, to, 10m));
        var refused = await (await Client.TransferAsync(from, closed, 10m)).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("completed", ended.GetProperty("status").GetString());
        Assert.Equal("account-closed", refused.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_destination_closed_after_the_check_fails_the_transfer_and_the_money_is_refunded()
    {
        var (from, to) = (await OpenAsync(100m), await OpenAsync(0m));
        fixture.Races.CloseWhenATransferIsRequestedTo(to, Host.Grains);

        var ended = await Client.EndedTransferAsync(await Client.TransferAcceptedAsync(from, to, 30m));

        await AssertRefundedAsync(ended, from, to);
    }

    [Fact]
    public async Task A_destination_the_read_side_still_shows_open_is_refused_by_the_account_and_the_money_is_refunded()
    {
        var (from, to) = (await OpenAsync(100m), await OpenAsync(0m));
        var opened = await Host.Grains.GetGrain<IReadModelQueries>(0).Get<IAccountSummaryProjection, AccountSummary>(to, 1, TimeSpan.FromSeconds(10));
        Assert.Equal(AccountStatus.Open, opened.View?.Status);
        fixture.Races.FreezeSummaryOf(to, opened.View!);
        await (await Client.PostAsync($"/api/accounts/{to}/close", null)).OkAsync();

        var ended = await Client.EndedTransferAsync(await Client.TransferAcceptedAsync(from, to, 30m));

        await AssertRefundedAsync(ended, from, to);
    }

    private async Task AssertRefundedAsync(JsonElement ended, string from, string to)
    {
        Assert.Equal(("failed", "account-closed"), (ended.GetProperty("status").GetString(), ended.GetProperty("code").GetString()));
        Assert.Equal(RefundedSteps, ended.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString()));
        Assert.Equal((100m, 0m), (await Host.BalanceAsync(from), await Host.BalanceAsync(to)));
        Assert.Equal(
            ["bank.account.opened.v1", "bank.account.deposited.v1", "bank.account.transfer-sent.v1", "bank.account.transfer-returned.v1"],
            await Host.AccountEventsAsync(from));
    }
}
