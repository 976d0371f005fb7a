using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Transfers;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Bank.Tests.Transfers;

/// <summary>The transfer process manager on the shared two-silo test cluster: each ending, and a step run twice.</summary>
public sealed class TransferGrainTests(ClusterFixture cluster)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static string NewId(string prefix = "acc") => $"{prefix}-{Guid.NewGuid():N}";

    private Task<string> OpenAsync(decimal deposit, string currency = "EUR", string customer = "cust-t") =>
        cluster.Grains.OpenFundedAsync(customer, deposit, currency);

    private async Task<TransferView> TransferAsync(string from, string to, decimal amount)
    {
        var transfer = cluster.Grains.GetGrain<ITransferGrain>(NewId("tr"));
        var requested = await transfer.Execute(new RequestTransfer(from, to, amount, "EUR", null), CommandContext.New());
        Assert.True(requested.IsAccepted, requested.Rejection?.Message);
        var view = await transfer.Get(Wait);
        Assert.NotNull(view);
        Assert.True(view.HasEnded, $"The transfer did not end: {view}");
        return view;
    }

    private static readonly string[] CompletedSteps = ["requested", "debited", "credited", "completed"];

    /// <summary>The grain type transfers' stream reads are recorded under (<see cref="RecordingEventStore"/>).</summary>
    private const string TransferGrainType = "transfer";

    /// <summary>
    /// Waits for a transfer to end and leave memory (an ended process deactivates by itself, after its last call).
    /// </summary>
    private Task EndedActivationGoneAsync(string transferId) =>
        Activations.GoneAsync(cluster.Grains, cluster.Grains.GetGrain<ITransferGrain>(transferId), "the ended transfer's activation to go");

    private async Task<decimal> BalanceOf(string id) => (await cluster.Grains.GetGrain<IAccountGrain>(id).Get())!.Balance;

    [Fact]
    public async Task A_transfer_moves_the_money_and_lists_its_steps()
    {
        var (from, to) = (await OpenAsync(100m), await OpenAsync(0m));

        var view = await TransferAsync(from, to, 30m);

        Assert.Equal(TransferView.Completed, view.Status);
        Assert.Equal(CompletedSteps, view.Steps.Select(s => s.Step));
        Assert.Equal((70m, 30m), (await BalanceOf(from), await BalanceOf(to)));
    }

    [Fact]
    public async Task A_debit_the_source_refuses_fails_the_transfer_and_moves_nothing()
    {
        var (from, to) = (await OpenAsync(10m), await OpenAsync(0m));

        var view = await TransferAsync(from, to, 30m);

        Assert.Equal((TransferView.Failed, "insufficient-funds"), (view.Status, view.Code));
        Assert.Equal((10m, 0m), (await BalanceOf(from), await BalanceOf(to)));
    }

    [Fact]
    public async Task A_credit_the_destination_refuses_is_refunded_to_the_source()
    {
        var (from, to) = (await OpenAsync(100m), await OpenAsync(0m, currency: "USD"));

        var view = await TransferAsync(from, to, 30m);

        Assert.Equal((TransferView.Failed, "currency-mismatch"), (view.Status, view.Code));
        Assert.Equal(["requested", "debited", "credit-refused", "refunded", "failed"], view.Steps.Select(s => s.Step));
        Assert.Equal((100m, 0m), (await BalanceOf(from), await BalanceOf(to)));
    }

    [Fact]
    public async Task A_step_run_again_moves_no_money_twice()
    {
        var (from, to) = (await OpenAsync(100m), await OpenAsync(0m));
        var id = NewId("tr");
        var transfer = cluster.Grains.GetGrain<ITransferGrain>(id);
        Assert.True((await transfer.Execute(new RequestTransfer(from, to, 30m, "EUR", null), CommandContext.New())).IsAccepted);
        Assert.Equal(TransferView.Completed, (await transfer.Get(Wait))!.Status);

        Assert.True(await transfer.Resume());
        var debitAgain = await cluster.Grains.GetGrain<IAccountGrain>(from).Execute(
            new SendTransfer(id, to, 30m, "EUR"), new CommandContext(CommandIds.Derive($"{TransferGrain.StreamName}/{id}", "debit")));

        Assert.True(debitAgain is { IsAccepted: true, Replayed: true }, $"{debitAgain}");
        Assert.Equal((70m, 30m), (await BalanceOf(from), await BalanceOf(to)));
    }

    [Fact]
    public async Task A_transfer_publishes_none_of_its_own_events_only_its_accounts_do()
    {
        // No grain subscribes to bank.transfer: its events would reach nobody (the ledger and the live feed read them
        // from the log), so the transfer's four appends cost no stream message.
        var (from, to) = (await OpenAsync(100m), await OpenAsync(0m));
        var id = NewId("tr");
        var (transferGate, sourceGate) = (GatedEventPublisher.Hold(id), GatedEventPublisher.Hold(from));
        sourceGate.Release();
        transferGate.Release();
        var transfer = cluster.Grains.GetGrain<ITransferGrain>(id);
        Assert.True((await transfer.Execute(new RequestTransfer(from, to, 30m, "EUR", null), CommandContext.New())).IsAccepted);

        Assert.Equal(TransferView.Completed, (await transfer.Get(Wait))!.Status);
        Assert.Equal(0, transferGate.Handed);
        Assert.Single(sourceGate.HandedEvents, e => e is TransferSent); // Its opening deposit's may come late: not counted.
    }

    [Fact]
    public async Task An_ended_transfer_leaves_memory_and_a_later_read_finds_it_again_and_leaves_again()
    {
        var (from, to) = (await OpenAsync(100m), await OpenAsync(0m));
        var id = NewId("tr");
        var transfer = cluster.Grains.GetGrain<ITransferGrain>(id);
        Assert.True((await transfer.Execute(new RequestTransfer(from, to, 10m, "EUR", null), CommandContext.New())).IsAccepted);

        await EndedActivationGoneAsync(id);
        var again = await transfer.Get(TimeSpan.Zero);

        Assert.Equal(TransferView.Completed, again?.Status);
        Assert.Equal(CompletedSteps, again!.Steps.Select(s => s.Step));
        Assert.Equal((90m, 10m), (await BalanceOf(from), await BalanceOf(to)));
        await EndedActivationGoneAsync(id); // the read's activation too, long before the collection age
    }

    [Fact]
    public async Task A_transfer_begun_by_its_request_never_reads_its_empty_stream()
    {
        var (from, to) = (await OpenAsync(100m), await OpenAsync(0m));
        var id = NewId("tr");

        Assert.True((await cluster.Grains.GetGrain<ITransferGrain>(id).Execute(new RequestTransfer(from, to, 10m, "EUR", null), CommandContext.New())).IsAccepted);
        await EndedActivationGoneAsync(id);

        Assert.Equal((90m, 10m), (await BalanceOf(from), await BalanceOf(to)));
        Assert.Empty(ClusterFixture.Store.StreamReadsOf(StreamNames.StoreStreamId(TransferGrain.StreamName, id), TransferGrainType));
    }

    [Fact]
    public async Task A_request_sent_again_to_a_new_activation_is_answered_from_the_record()
    {
        var (from, to) = (await OpenAsync(100m), await OpenAsync(0m));
        var id = NewId("tr");
        var request = new RequestTransfer(from, to, 10m, "EUR", null);
        var context = CommandContext.New();
        var first = await cluster.Grains.GetGrain<ITransferGrain>(id).Execute(request, context);
        await EndedActivationGoneAsync(id);

        // The new activation guesses its stream empty; the append's version check and command id tell it otherwise.
        var again = await cluster.Grains.GetGrain<ITransferGrain>(id).Execute(request, context);

        Assert.True(again is { IsAccepted: true, Replayed: true }, $"{again}");
        Assert.Equal(first.Version, again.Version);
        Assert.Equal((90m, 10m), (await BalanceOf(from), await BalanceOf(to)));
    }

    [Theory]
    [InlineData(false)] // The read answers first; the command's answer then finds its event applied.
    [InlineData(true)] // The read found the event, and answers after the command has applied it.
    public async Task A_read_beside_the_first_command_neither_misses_nor_repeats_its_event(bool readAnswersLast)
    {
        // The request's event is stored and its answer held: a read arriving then (Get interleaves with commands)
        // makes the activation read its stream, and finds the event its own command has not yet applied.
        var (from, to) = (await OpenAsync(100m), await OpenAsync(0m));
        var id = NewId("tr");
        var stream = StreamNames.StoreStreamId(TransferGrain.StreamName, id);
        var transfer = cluster.Grains.GetGrain<ITransferGrain>(id);
        ClusterFixture.Store.HoldAppendAnswers(stream);
        try
        {
            var request = transfer.Execute(new RequestTransfer(from, to, 10m, "EUR", null), CommandContext.New());
            await Eventually.ReturnsAsync(
                () => ClusterFixture.Store.Inner.ReadStreamAsync(stream, 1, 10),
                events => events.Count == 1,
                Wait,
                "the request's event to be stored");
            if (readAnswersLast)
            {
                ClusterFixture.Store.HoldReads(stream, TransferGrainType, afterReading: true);
            }

            var beside = transfer.Get(TimeSpan.Zero);
            if (readAnswersLast)
            {
                await Eventually.ReturnsAsync(
                    () => Task.FromResult(ClusterFixture.Store.StreamReadsOf(stream, TransferGrainType).Count),
                    reads => reads == 1,
                    Wait,
                    "the read beside the command");
            }
            else
            {
                var first = await beside;
                Assert.Equal((TransferView.Pending, 1L), (first?.Status, first?.Version));
            }

            ClusterFixture.Store.ReleaseAppendAnswers(stream);
            Assert.True((await request).IsAccepted);
            ClusterFixture.Store.ReleaseReads(stream, TransferGrainType);
            // The steps may have run meanwhile (they interleave with a held read): whatever it saw, each event once.
            var seen = await beside;
            Assert.Equal(CompletedSteps[..(int)seen!.Version], seen.Steps.Select(s => s.Step));
        }
        finally
        {
            ClusterFixture.Store.ReleaseAppendAnswers(stream);
            ClusterFixture.Store.ReleaseReads(stream, TransferGrainType);
        }

        var view = await transfer.Get(Wait);
        Assert.Equal(CompletedSteps, view!.Steps.Select(s => s.Step));
        Assert.Equal((90m, 10m), (await BalanceOf(from), await BalanceOf(to)));
    }

    [Theory]
    [InlineData(false)] // Accepted on the empty stream the activation guessed: the append finds the stream begun.
    [InlineData(true)] // Rejected on the guess (the same account twice): recording it meets the stream's version too.
    public async Task Another_request_to_a_begun_transfer_on_a_new_activation_is_decided_on_its_stream(bool sameAccount)
    {
        var (from, to) = (await OpenAsync(100m), await OpenAsync(0m));
        var id = NewId("tr");
        Assert.True((await cluster.Grains.GetGrain<ITransferGrain>(id).Execute(new RequestTransfer(from, to, 10m, "EUR", null), CommandContext.New())).IsAccepted);
        await EndedActivationGoneAsync(id);

        var another = await cluster.Grains.GetGrain<ITransferGrain>(id).Execute(
            new RequestTransfer(from, sameAccount ? from : to, 50m, "EUR", null),
            CommandContext.New());

        Assert.Equal(TransferRejections.AlreadyRequested.Code, another.Rejection?.Code);
        var view = await cluster.Grains.GetGrain<ITransferGrain>(id).Get(TimeSpan.Zero);
        Assert.Equal((10m, TransferView.Completed), (view?.Amount, view?.Status));
        Assert.Equal((90m, 10m), (await BalanceOf(from), await BalanceOf(to)));
    }

    [Fact]
    public async Task A_customer_cannot_credit_an_account_as_if_it_were_a_transfer()
    {
        var to = await OpenAsync(0m);
        var customer = new Actor("sub-x", "cust-t", []);

        var credit = await cluster.Grains.GetGrain<IAccountGrain>(to).Execute(new ReceiveTransfer("tr-x", "acc-x", 5m, "EUR"), CommandContext.New() with { Actor = customer });

        Assert.Equal("transfer-step", credit.Rejection?.Code);
        Assert.Equal(0m, await BalanceOf(to));
    }
}
