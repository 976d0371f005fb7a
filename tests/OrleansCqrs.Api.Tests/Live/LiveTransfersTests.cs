using OrleansCqrs.Api.Live;
using OrleansCqrs.Bank.Transfers;
using OrleansCqrs.Framework.Events;

namespace OrleansCqrs.Api.Tests.Live;

/// <summary>
/// A transfer requested before the live feed started ends where the feed can see it: its ending names neither
/// account, so the feed learns them from the transfer itself and still tells the accounts' listeners.
/// </summary>
public sealed class LiveTransfersTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static EventEnvelope Event(string transferId, long version, long position, IDomainEvent domainEvent) =>
        new(StreamNames.StoreStreamId(TransferGrain.StreamName, transferId), version, position, domainEvent, new EventMetadata(Guid.NewGuid(), At));

    [Fact]
    public void An_ending_whose_request_the_feed_never_saw_is_asked_for_and_told_with_the_accounts_of_the_transfer()
    {
        var transfers = new LiveTransfers();
        EventEnvelope[] page = [Event("tr-old", 4, 100, new TransferCompleted(At)), Event("tr-new", 1, 101, new TransferRequested("acc-a", "acc-b", 5m, "EUR", "cust-a", At))];
        var fetched = new Dictionary<string, TransferView>
        {
            ["tr-old"] = new("tr-old", "acc-x", "acc-y", 30m, "EUR", TransferView.Completed, null, null, [], "cust-x", 4),
        };

        Assert.Equal(["tr-old"], transfers.Unknown(page));
        var changes = transfers.Fold(page, fetched);

        Assert.Equal(
            [
                (100L, new TransferUpdate("tr-old", "acc-x", "acc-y", 30m, "EUR", TransferView.Completed), (string?)"cust-x"),
                (101L, new TransferUpdate("tr-new", "acc-a", "acc-b", 5m, "EUR", TransferView.Pending), (string?)"cust-a"),
            ],
            changes);
        Assert.Equal(1, transfers.Count);
    }

    [Fact]
    public void A_transfer_seen_requested_is_not_asked_for_again_when_it_ends()
    {
        var transfers = new LiveTransfers();
        transfers.Fold([Event("tr-1", 1, 10, new TransferRequested("acc-a", "acc-b", 5m, "EUR", null, At))], new Dictionary<string, TransferView>());
        EventEnvelope[] ending = [Event("tr-1", 3, 12, new TransferFailed("insufficient-funds", "No money.", At))];

        Assert.Empty(transfers.Unknown(ending));
        var failed = Assert.Single(transfers.Fold(ending, new Dictionary<string, TransferView>()));
        Assert.Equal(new TransferUpdate("tr-1", "acc-a", "acc-b", 5m, "EUR", TransferView.Failed, "insufficient-funds", "No money."), failed.Update);
        Assert.Equal(0, transfers.Count);
    }
}
