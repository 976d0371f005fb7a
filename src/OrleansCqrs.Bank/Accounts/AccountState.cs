using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Events;

namespace OrleansCqrs.Bank.Accounts;

/// <summary>What the account aggregate needs to decide commands: a pure fold over its events.</summary>
[GenerateSerializer, Immutable, Alias("bank.account.state.v1")]
public sealed record AccountState(
    [property: Id(0)] AccountStatus Status,
    [property: Id(1)] string? CustomerId,
    [property: Id(2)] string? Currency,
    [property: Id(3)] decimal Balance) : IAggregateState<AccountState>
{
    public static AccountState Initial { get; } = new(AccountStatus.None, null, null, 0m);

    public AccountState Apply(IDomainEvent domainEvent) => domainEvent switch
    {
        AccountOpened e => this with { Status = AccountStatus.Open, CustomerId = e.CustomerId, Currency = e.Currency },
        MoneyDeposited e => this with { Balance = Balance + e.Amount },
        MoneyWithdrawn e => this with { Balance = Balance - e.Amount },
        AccountClosed => this with { Status = AccountStatus.Closed },
        TransferSent e => this with { Balance = Balance - e.Amount },
        TransferReceived e => this with { Balance = Balance + e.Amount },
        TransferReturned e => this with { Balance = Balance + e.Amount },
        _ => throw new ArgumentException($"An account does not take {domainEvent.GetType().Name}.", nameof(domainEvent)),
    };
}
