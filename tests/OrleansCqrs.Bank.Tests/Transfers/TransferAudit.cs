using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Transfers;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Bank.Tests.Transfers;

/// <summary>
/// Judges transfers by the event log alone: every transfer ended, no account event moved a transfer's money twice, a
/// refund only after the destination refused the credit, each account's balance never below zero, and
/// Σ balances + money in flight = Σ deposits − Σ withdrawals (in flight: Σ sent − Σ received − Σ returned).
/// </summary>
public static class TransferAudit
{
    /// <summary>The transfer's stream in the log.</summary>
    public static string StreamOf(string transferId) => $"{TransferGrain.StreamName}-{transferId}";

    /// <summary>The events of <paramref name="streamId"/>, deserialized.</summary>
    public static async Task<IReadOnlyList<IDomainEvent>> EventsOfAsync(IEventStore store, string streamId)
    {
        ArgumentNullException.ThrowIfNull(store);
        var events = await store.ReadStreamAsync(streamId, 1, 100_000);
        return [.. events.Select(e => ClusterFixture.Serializer.Deserialize(e).Event)];
    }

    /// <summary>Whether the log holds an outcome (completed or failed) for the transfer.</summary>
    public static async Task<bool> HasEndedAsync(IEventStore store, string transferId) =>
        (await EventsOfAsync(store, StreamOf(transferId))).Any(e => e is TransferCompleted or TransferFailed);

    /// <summary>Awaits, up to <paramref name="timeout"/>, an outcome in the log for every transfer, without calling a grain.</summary>
    public static async Task AwaitEndedInLogAsync(IEventStore store, IReadOnlyCollection<string> transferIds, TimeSpan timeout)
    {
        await Eventually.ReturnsAsync(
            async () => (await Task.WhenAll(transferIds.Select(async id => await HasEndedAsync(store, id) ? null : id))).OfType<string>().ToList(),
            open => open.Count == 0,
            timeout,
            $"every one of {transferIds.Count} transfers to complete or fail in the log with nobody calling",
            open => $"{open.Count} still open, e.g. {string.Join(", ", open.Take(5))}");
    }

    /// <summary>Checks the invariants above over <paramref name="accountIds"/> and <paramref name="transferIds"/>; answers the outcome of each transfer.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> AssertConsistentAsync(IEventStore store, IReadOnlyCollection<string> accountIds, IReadOnlyCollection<string> transferIds)
    {
        ArgumentNullException.ThrowIfNull(accountIds);
        ArgumentNullException.ThrowIfNull(transferIds);
        var known = transferIds.ToHashSet(StringComparer.Ordinal);
        var sent = new Dictionary<string, int>(StringComparer.Ordinal);
        var received = new Dictionary<string, int>(StringComparer.Ordinal);
        var returned = new Dictionary<string, int>(StringComparer.Ordinal);
        decimal deposits = 0, withdrawals = 0, balances = 0, inFlight = 0;
        foreach (var accountId in accountIds)
        {
            decimal balance = 0;
            foreach (var e in await EventsOfAsync(store, ClusterFixture.StreamOf(accountId)))
            {
                switch (e)
                {
                    case MoneyDeposited d:
                        deposits += d.Amount;
                        balance += d.Amount;
                        break;
                    case MoneyWithdrawn w:
                        withdrawals += w.Amount;
                        balance -= w.Amount;
                        break;
                    case TransferSent s:
                        Count(sent, s.TransferId);
                        inFlight += s.Amount;
                        balance -= s.Amount;
                        break;
                    case TransferReceived r:
                        Count(received, r.TransferId);
                        inFlight -= r.Amount;
                        balance += r.Amount;
                        break;
                    case TransferReturned r:
                        Count(returned, r.TransferId);
                        inFlight -= r.Amount;
                        balance += r.Amount;
                        break;
                    default:
                        break;
                }

                Assert.True(balance >= 0, $"{accountId} went below zero ({balance}) at {e}.");
            }

            balances += balance;
        }

        void Count(Dictionary<string, int> counts, string transferId)
        {
            Assert.True(known.Contains(transferId), $"An account moved money for a transfer nobody requested: {transferId}.");
            counts[transferId] = counts.GetValueOrDefault(transferId) + 1;
        }

        var outcomes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var transferId in transferIds)
        {
            var (s, r, b) = (sent.GetValueOrDefault(transferId), received.GetValueOrDefault(transferId), returned.GetValueOrDefault(transferId));
            Assert.True(s <= 1 && r <= 1 && b <= 1, $"Transfer {transferId} was sent {s}, received {r}, returned {b} times.");
            var events = await EventsOfAsync(store, StreamOf(transferId));
            var outcome = events.Count > 0 ? events[^1] : null;
            var creditRefused = events.Any(e => e is TransferCreditRefused);
            var expected = outcome switch
            {
                TransferCompleted => (1, 1, 0),
                TransferFailed when creditRefused => (1, 0, 1),
                TransferFailed => (0, 0, 0),
                _ => throw new Xunit.Sdk.XunitException($"Transfer {transferId} has not ended: its last event is {outcome?.GetType().Name ?? "none"}."),
            };
            Assert.True(expected == (s, r, b), $"Transfer {transferId} ended {outcome}, yet its accounts show sent {s}, received {r}, returned {b}.");
            outcomes[transferId] = outcome is TransferCompleted ? TransferView.Completed : TransferView.Failed;
        }

        Assert.Equal(0m, inFlight);
        Assert.Equal(deposits - withdrawals, balances + inFlight);
        return outcomes;
    }
}
