using Orleans.Serialization;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Transfers;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.Projections;
using OrleansCqrs.Framework.Projections.Rows;

namespace OrleansCqrs.Bank.Ledger;

/// <summary>One shard of the ledger, built from the global log: many writes collapse into a few reads.</summary>
public sealed class LedgerShard(ProjectionServices services, IProjectionRowStore rows, Serializer serializer)
    : LogProjectionGrain<LedgerShardState>(services, rows, serializer), ILedgerShard
{
    // The steps in between change nothing the ledger shows: skipped before they are deserialized. Any other transfer
    // event (a new one included) is read, and ignored by the fold if it means nothing to it.
    private static readonly HashSet<string> TransferStepsSkipped = new(StringComparer.Ordinal)
    {
        "bank.transfer.debited.v1", "bank.transfer.credited.v1", "bank.transfer.credit-refused.v1", "bank.transfer.refunded.v1",
    };

    private readonly TotalsHistory _history = new();

    private int Shard => LedgerShards.ShardOf(this.GetPrimaryKeyLong());

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        _history.Start(Status().Position);
    }

    protected override LedgerShardState CreateModel() => new();

    // Asked of every event of the log by every shard: no string is made for an event that is not this shard's.
    protected override bool Includes(RecordedEvent recorded) =>
        StreamNames.TryKeyOf(AccountGrain.StreamName, recorded.StreamId, out var accountId)
            ? LedgerShards.Of(accountId) == Shard
            : StreamNames.TryKeyOf(TransferGrain.StreamName, recorded.StreamId, out _) && !TransferStepsSkipped.Contains(recorded.Type);

    protected override void Apply(LedgerShardState model, EventEnvelope envelope)
    {
        var before = model.Totals;
        Fold(model, envelope);
        if (!ReferenceEquals(before, model.Totals))
        {
            _history.Changed(envelope.Position, before, model.Totals);
        }
    }

    private void Fold(LedgerShardState model, EventEnvelope envelope)
    {
        if (StreamNames.KeyOf(AccountGrain.StreamName, envelope.StreamId) is { } accountId)
        {
            model.When(accountId, envelope.Event);
        }
        else if (StreamNames.KeyOf(TransferGrain.StreamName, envelope.StreamId) is { } transferId)
        {
            model.WhenTransfer(transferId, LedgerShards.Of(transferId) == Shard, envelope.Event);
        }
    }

    public Task<LogRead<BankTotals>> GetTotals(long minPosition, TimeSpan wait) =>
        ReadAsync(minPosition, wait, (state, _) => state.Totals);

    public async Task<LogRead<BankTotals>> GetTotalsAt(long position, TimeSpan wait)
    {
        var read = await ReadAsync(position, wait, (state, reached) => _history.At(position, reached, state.Totals));
        return read.View is null ? read with { Stale = true } : read with { Position = position };
    }

    public Task<LogRead<IReadOnlyList<AccountBalance>>> GetTop(int limit, long minPosition, TimeSpan wait) =>
        ReadAsync(minPosition, wait, (state, _) => state.Top(limit));

    public Task<LogRead<IReadOnlyList<string>>> GetCustomerAccounts(string customerId, long minPosition, TimeSpan wait) =>
        ReadAsync<IReadOnlyList<string>>(minPosition, wait, (state, _) => [.. state.AccountsOf(customerId)]);

    public Task<LogRead<CustomerHoldings>> GetCustomerHoldings(string customerId, long minPosition, TimeSpan wait) =>
        ReadAsync(minPosition, wait, (state, _) => new CustomerHoldings([.. state.AccountsOf(customerId)], [.. state.PendingOf(customerId)]));

    public Task<LogRead<IReadOnlyList<string>>> GetAccountIds(long minPosition, TimeSpan wait) =>
        ReadAsync<IReadOnlyList<string>>(minPosition, wait, (state, _) => [.. state.Rows.Keys]);

    public Task<LogStatus> GetStatus() => Task.FromResult(Status());

    public Task Retire() => RetireAsync();
}
