using Orleans.TestingHost;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Transfers;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Bank.Tests.Transfers;

/// <summary>
/// A source emptied by a transfer's debit can be closed while the money is in flight; when the destination then
/// refuses the credit, the refund lands on the closed source. The money must not be stranded there: the customer can
/// withdraw it, and nothing else.
/// </summary>
public sealed class RefundToClosedSourceTests : IAsyncLifetime
{
    private const string Customer = "cust-refund";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private TestCluster _cluster = null!;

    private IGrainFactory Grains => _cluster.GrainFactory;

    public async ValueTask InitializeAsync() =>
        _cluster = await ClusterFixture.DeployAsync("refund-to-closed-source", null, builder => builder.AddSiloBuilderConfigurator<StepHold.Configurator>());

    public async ValueTask DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task A_source_closed_while_its_money_was_in_flight_gets_the_refund_and_its_customer_can_withdraw_it()
    {
        var (from, to) = (await OpenAsync(100m), await OpenAsync(0m));
        var (source, destination) = (Grains.GetGrain<IAccountGrain>(from), Grains.GetGrain<IAccountGrain>(to));
        var transfer = Grains.GetGrain<ITransferGrain>($"tr-{Guid.NewGuid():N}");
        StepHold.Hold(to);
        try
        {
            Assert.True((await transfer.Execute(new RequestTransfer(from, to, 100m, "EUR", Customer), CommandContext.New())).IsAccepted);
            await Eventually.ReturnsAsync(source.Get, view => view!.Balance == 0m, Wait, "the debit of the source, its money in flight");
            Assert.True((await source.Execute(new CloseAccount(), CommandContext.New())).IsAccepted, "closing the emptied source");
            Assert.True((await destination.Execute(new CloseAccount(), CommandContext.New())).IsAccepted, "closing the destination, so that it refuses the credit");
        }
        finally
        {
            StepHold.Release(to);
        }

        var ended = (await transfer.Get(Wait))!;
        Assert.Equal((TransferView.Failed, "account-closed"), (ended.Status, ended.Code));
        var refunded = (await source.Get())!;
        Assert.Equal((AccountStatus.Closed, 100m), (refunded.Status, refunded.Balance));

        var deposit = await source.Execute(new DepositMoney(1m), CommandContext.New());
        var payout = await source.Execute(new WithdrawMoney(100m), CommandContext.New() with { Actor = new Actor("sub-refund", Customer, []) });

        Assert.Equal("account-closed", deposit.Rejection?.Code);
        Assert.True(payout.IsAccepted, $"The refund was not paid out: {payout.Rejection}");
        var paidOut = (await source.Get())!;
        Assert.Equal((AccountStatus.Closed, 0m), (paidOut.Status, paidOut.Balance));
    }

    private Task<string> OpenAsync(decimal deposit) => Grains.OpenFundedAsync(Customer, deposit);
}
