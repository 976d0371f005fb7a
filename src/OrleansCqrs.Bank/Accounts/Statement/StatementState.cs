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
        _ => 0m,
    };

    public static (string Kind, decimal Amount) Describe(IDomainEvent domainEvent) => domainEvent switch
    {
        AccountOpened => ("opened", 0m),
        MoneyDeposited e => ("deposit", e.Amount),
        MoneyWithdrawn e => ("withdrawal", e.Amount),
        AccountClosed => ("closed", 0m),
        _ => (domainEvent.GetType().Name, 0m),
    };
}
