using OrleansCqrs.Bank.Transfers;
using OrleansCqrs.Framework.Events;

namespace OrleansCqrs.Api.Live;

/// <summary>
/// The transfers the live feed has seen requested and not yet ended, so that an ending (which names neither account)
/// can be sent to the listeners of its accounts. A transfer requested before the feed started is read from its grain
/// when it ends. Not thread-safe: the feed holds its lock.
/// </summary>
internal sealed class LiveTransfers
{
    private readonly Dictionary<string, RunningTransfer> _running = new(StringComparer.Ordinal);

    public int Count => _running.Count;

    public void Clear() => _running.Clear();

    /// <summary>The transfers that end in these events without having been requested where the feed could see it.</summary>
    public HashSet<string> Unknown(IEnumerable<EventEnvelope> events)
    {
        var requested = new HashSet<string>(StringComparer.Ordinal);
        var unknown = new HashSet<string>(StringComparer.Ordinal);
        foreach (var envelope in events)
        {
            var transferId = TransferIdOf(envelope);
            if (envelope.Event is TransferRequested)
            {
                requested.Add(transferId);
            }
            else if (envelope.Event is TransferCompleted or TransferFailed && !requested.Contains(transferId) && !_running.ContainsKey(transferId))
            {
                unknown.Add(transferId);
            }
        }

        return unknown;
    }

    /// <summary>The status changes in these events, in commit order, each with its position and the requesting customer.</summary>
    public List<(long Position, TransferUpdate Update, string? Requester)> Fold(IEnumerable<EventEnvelope> events, IReadOnlyDictionary<string, TransferView> fetched)
    {
        var changes = new List<(long, TransferUpdate, string?)>();
        foreach (var envelope in events)
        {
            var transferId = TransferIdOf(envelope);
            switch (envelope.Event)
            {
                case TransferRequested e:
                    var pending = new TransferUpdate(transferId, e.FromAccountId, e.ToAccountId, e.Amount, e.Currency, TransferView.Pending);
                    _running[transferId] = new RunningTransfer(pending, e.CustomerId);
                    changes.Add((envelope.Position, pending, e.CustomerId));
                    break;
                case TransferCompleted:
                    if (Take(transferId, fetched) is { } completed)
                    {
                        changes.Add((envelope.Position, completed.Pending with { Status = TransferView.Completed }, completed.Requester));
                    }

                    break;
                case TransferFailed e:
                    if (Take(transferId, fetched) is { } failed)
                    {
                        changes.Add((envelope.Position, failed.Pending with { Status = TransferView.Failed, Code = e.Code, Reason = e.Reason }, failed.Requester));
                    }

                    break;
            }
        }

        return changes;
    }

    private RunningTransfer? Take(string transferId, IReadOnlyDictionary<string, TransferView> fetched)
    {
        if (_running.Remove(transferId, out var running))
        {
            return running;
        }

        return fetched.TryGetValue(transferId, out var view)
            ? new RunningTransfer(new TransferUpdate(transferId, view.FromAccountId, view.ToAccountId, view.Amount, view.Currency, TransferView.Pending), view.CustomerId)
            : null;
    }

    public static string TransferIdOf(EventEnvelope envelope) => StreamNames.KeyOf(TransferGrain.StreamName, envelope.StreamId)!;

    private sealed record RunningTransfer(TransferUpdate Pending, string? Requester);
}
