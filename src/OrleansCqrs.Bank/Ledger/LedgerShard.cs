using Orleans.Serialization;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.Projections;
using OrleansCqrs.Framework.Projections.Rows;

namespace OrleansCqrs.Bank.Ledger;

/// <summary>One shard of the ledger, built from the global log: many writes collapse into a few reads.</summary>
public sealed class LedgerShard(ProjectionServices services, IProjectionRowStore rows, Serializer serializer)
    : LogProjectionGrain<LedgerShardState>(services, rows, serializer), ILedgerShard
{
    private int Shard => LedgerShards.ShardOf(this.GetPrimaryKeyLong());

    protected override LedgerShardState CreateModel() => new();

    protected override bool Includes(RecordedEvent recorded) =>
        StreamNames.KeyOf(AccountGrain.StreamName, recorded.StreamId) is { } accountId && LedgerShards.Of(accountId) == Shard;

    protected override void Apply(LedgerShardState model, EventEnvelope envelope) =>
        model.When(StreamNames.KeyOf(AccountGrain.StreamName, envelope.StreamId)!, envelope.Event);

    public Task<LogRead<BankTotals>> GetTotals(long minPosition, TimeSpan wait) =>
        ReadAsync(minPosition, wait, (state, _) => state.Totals);

    public Task<LogRead<IReadOnlyList<AccountBalance>>> GetTop(int limit, long minPosition, TimeSpan wait) =>
        ReadAsync(minPosition, wait, (state, _) => state.Top(limit));

    public Task<LogRead<IReadOnlyList<string>>> GetCustomerAccounts(string customerId, long minPosition, TimeSpan wait) =>
        ReadAsync<IReadOnlyList<string>>(minPosition, wait, (state, _) => [.. state.AccountsOf(customerId)]);

    public Task<LogRead<IReadOnlyList<string>>> GetAccountIds(long minPosition, TimeSpan wait) =>
        ReadAsync<IReadOnlyList<string>>(minPosition, wait, (state, _) => [.. state.Rows.Keys]);

    public Task<LogStatus> GetStatus() => Task.FromResult(Status());

    public Task Retire() => RetireAsync();
}
