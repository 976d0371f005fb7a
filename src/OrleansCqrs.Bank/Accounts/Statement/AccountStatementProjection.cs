using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Bank.Accounts.Statement;

/// <summary>
/// The statement read model: the entries are the account's own events, read from the store by version; the
/// projection keeps the balance checkpoints that give each entry its balance after. It is pulled, not pushed: it
/// catches up from the store when a page is asked for (it reads the store for the page anyway), so the stream does
/// not deliver every event a second time for a view that is read far less often than written.
/// </summary>
public sealed class AccountStatementProjection(
    [PersistentState("account-statement", BankStorage.Projections)] IPersistentState<ProjectionState<StatementState>> persisted,
    ProjectionServices services,
    IEventStore store,
    EventSerializer serializer)
    : StreamProjectionGrain<StatementState>(persisted, services), IAccountStatementProjection
{
    protected override string StreamNamespace => AccountGrain.StreamName;

    protected override StatementState Initial => StatementState.Empty;

    protected override StatementState Apply(StatementState state, EventEnvelope envelope) => state.When(envelope.Version, envelope.Event);

    public async Task<StatementPage> GetPage(long? beforeVersion, int limit)
    {
        // The entries come from the store, so the page is as fresh as the store: catch up first.
        var read = await ReadLatestAsync((state, version) => (state, version));
        var (state, version) = read.View;
        var accountId = this.GetPrimaryKeyString();
        var last = Math.Min((beforeVersion ?? long.MaxValue) - 1, version);
        if (last < 1)
        {
            return new StatementPage(accountId, [], null, version, read.Stale);
        }

        var first = Math.Max(1, last - limit + 1);
        var (checkpoint, balance) = state.CheckpointAtOrBefore(first - 1);
        var events = await store.ReadStreamAsync(StreamNames.StoreStreamId(AccountGrain.StreamName, accountId), checkpoint + 1, (int)(last - checkpoint));
        var entries = new List<StatementEntry>(limit);
        foreach (var envelope in events.Select(serializer.Deserialize))
        {
            balance += StatementState.Change(envelope.Event);
            if (envelope.Version >= first)
            {
                var (kind, amount, counterpart, transferId) = StatementState.Describe(envelope.Event);
                entries.Add(new StatementEntry(
                    envelope.Version, envelope.Position, kind, amount, balance, envelope.Metadata.Timestamp, envelope.Metadata.Actor?.Subject, counterpart, transferId));
            }
        }

        entries.Reverse();
        return new StatementPage(accountId, [.. entries], first > 1 ? first : null, version, read.Stale);
    }
}
