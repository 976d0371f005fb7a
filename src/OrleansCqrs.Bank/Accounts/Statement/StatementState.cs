using System.Collections.Immutable;
using OrleansCqrs.Framework.Events;

namespace OrleansCqrs.Bank.Accounts.Statement;

/// <summary>
/// What the statement needs besides the log itself: the balance after every <see cref="Interval"/>-th version, so a
/// page anywhere in a long history is computed from at most one interval of events before it.
/// </summary>
[GenerateSerializer, Immutable, Alias("bank.account.statement-state.v1")]
public sealed record StatementState(
    [property: Id(0)] decimal Balance,
    [property: Id(1)] ImmutableList<decimal> Checkpoints)
{
    public const int Interval = 100;

    public static StatementState Empty { get; } = new(0m, []);

    /// <summary>The balance after version <c>k × Interval</c> for the largest such version not after <paramref name="version"/>.</summary>
    public (long Version, decimal Balance) CheckpointAtOrBefore(long version)
    {
        var index = (int)Math.Min(version / Interval, Checkpoints.Count);
        return index == 0 ? (0, 0m) : (index * (long)Interval, Checkpoints[index - 1]);
    }

    public StatementState When(long version, IDomainEvent domainEvent)
    {
        var balance = Balance + Change(domainEvent);
        return new StatementState(balance, version % Interval == 0 ? Checkpoints.Add(balance) : Checkpoints);
    }

    public static decimal Change(IDomainEvent domainEvent) => domainEvent switch
    {
        MoneyDeposited e => e.Amount,
        MoneyWithdrawn e => -e.Amount,
        TransferSent e => -e.Amount,
        TransferReceived e => e.Amount,
        TransferReturned e => e.Amount,
        _ => 0m,
    };

    /// <summary>The line an event makes: its kind, its amount (unsigned), and for a transfer the other account and the transfer.</summary>
    public static (string Kind, decimal Amount, string? Counterpart, string? TransferId) Describe(IDomainEvent domainEvent) => domainEvent switch
    {
        AccountOpened => ("opened", 0m, null, null),
        MoneyDeposited e => ("deposit", e.Amount, null, null),
        MoneyWithdrawn e => ("withdrawal", e.Amount, null, null),
        AccountClosed => ("closed", 0m, null, null),
        TransferSent e => (StatementEntry.TransferOut, e.Amount, e.ToAccountId, e.TransferId),
        TransferReceived e => (StatementEntry.TransferIn, e.Amount, e.FromAccountId, e.TransferId),
        // The refund names the destination that refused the money: the account the transfer-out line went to.
        TransferReturned e => (StatementEntry.TransferRefund, e.Amount, e.ToAccountId, e.TransferId),
        _ => (domainEvent.GetType().Name, 0m, null, null),
    };
}
