using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Bank.Totals;

/// <summary>One shard of the bank totals, built from the global log: many writes collapse into a few reads.</summary>
public sealed class BankTotalsShard(
    [PersistentState("bank-totals", BankStorage.Projections)] IPersistentState<LogProjectionState<BankTotals>> persisted,
    ProjectionServices services)
    : LogProjectionGrain<BankTotals>(persisted, services), IBankTotalsShard
{
    private int Shard => (int)this.GetPrimaryKeyLong();

    protected override BankTotals Initial => BankTotals.Empty;

    protected override bool Includes(RecordedEvent recorded) =>
        StreamNames.KeyOf(AccountGrain.StreamName, recorded.StreamId) is { } accountId && TotalsShards.Of(accountId) == Shard;

    protected override BankTotals Apply(BankTotals state, EventEnvelope envelope) =>
        state.When(StreamNames.KeyOf(AccountGrain.StreamName, envelope.StreamId)!, envelope.Event);

    public Task<ProjectionRead<BankTotals>> Get(long minPosition, TimeSpan wait) =>
        ReadAsync(minPosition, wait, (state, _) => state);

    public Task<ProjectionStatus> GetStatus() => Task.FromResult(Status());
}
