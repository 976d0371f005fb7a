using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Bank.Ledger;

/// <summary>One shard of the ledger, built from the global log: many writes collapse into a few reads.</summary>
public sealed class LedgerShard(
    [PersistentState("ledger-shard", BankStorage.Projections)] IPersistentState<LogProjectionState<LedgerShardState>> persisted,
    ProjectionServices services)
    : LogProjectionGrain<LedgerShardState>(persisted, services), ILedgerShard
{
    private int Shard => LedgerShards.ShardOf(this.GetPrimaryKeyLong());

    protected override LedgerShardState Initial => LedgerShardState.Empty;

    protected override bool Includes(RecordedEvent recorded) =>
        StreamNames.KeyOf(AccountGrain.StreamName, recorded.StreamId) is { } accountId && LedgerShards.Of(accountId) == Shard;

    protected override LedgerShardState Apply(LedgerShardState state, EventEnvelope envelope) =>
        state.When(StreamNames.KeyOf(AccountGrain.StreamName, envelope.StreamId)!, envelope.Event);

    public Task<ProjectionRead<BankTotals>> GetTotals(long minPosition, TimeSpan wait) =>
        ReadAsync(minPosition, wait, (state, _) => state.Totals);

    public Task<ProjectionRead<IReadOnlyList<AccountBalance>>> GetTop(int limit, long minPosition, TimeSpan wait) =>
        ReadAsync(minPosition, wait, (state, _) => state.Top(limit));

    public Task<ProjectionRead<IReadOnlyList<string>>> GetCustomerAccounts(string customerId, long minPosition, TimeSpan wait) =>
        ReadAsync<IReadOnlyList<string>>(minPosition, wait, (state, _) => [.. state.CustomerAccounts.GetValueOrDefault(customerId, [])]);

    public Task<ProjectionRead<IReadOnlyList<string>>> GetAccountIds(long minPosition, TimeSpan wait) =>
        ReadAsync<IReadOnlyList<string>>(minPosition, wait, (state, _) => [.. state.Accounts.Keys]);

    public Task<ProjectionStatus> GetStatus() => Task.FromResult(Status());
}
