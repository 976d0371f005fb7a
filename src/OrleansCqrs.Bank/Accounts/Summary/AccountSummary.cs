using OrleansCqrs.Framework.Events;

namespace OrleansCqrs.Bank.Accounts.Summary;

/// <summary>The account summary read model: what a customer sees at the top of their account page.</summary>
[GenerateSerializer, Immutable, Alias("bank.account.summary.v1")]
public sealed record AccountSummary(
    [property: Id(0)] string AccountId,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] string Currency,
    [property: Id(3)] decimal Balance,
    [property: Id(4)] AccountStatus Status,
    [property: Id(5)] long Version,
    [property: Id(6)] DateTimeOffset OpenedAt,
    [property: Id(7)] DateTimeOffset LastActivityAt)
{
    /// <summary>The summary after one more event of the account (pure: the time comes from the event's metadata).</summary>
    public static AccountSummary? When(AccountSummary? summary, string accountId, long version, IDomainEvent domainEvent, DateTimeOffset at) =>
        (summary, domainEvent) switch
        {
            (null, AccountOpened e) => new AccountSummary(accountId, e.CustomerId, e.Currency, 0m, AccountStatus.Open, version, at, at),
            (not null, MoneyDeposited e) => summary with { Balance = summary.Balance + e.Amount, Version = version, LastActivityAt = at },
            (not null, MoneyWithdrawn e) => summary with { Balance = summary.Balance - e.Amount, Version = version, LastActivityAt = at },
            (not null, TransferSent e) => summary with { Balance = summary.Balance - e.Amount, Version = version, LastActivityAt = at },
            (not null, TransferReceived e) => summary with { Balance = summary.Balance + e.Amount, Version = version, LastActivityAt = at },
            (not null, TransferReturned e) => summary with { Balance = summary.Balance + e.Amount, Version = version, LastActivityAt = at },
            (not null, AccountClosed) => summary with { Status = AccountStatus.Closed, Version = version, LastActivityAt = at },
            _ => throw new InvalidOperationException($"{domainEvent.GetType().Name} cannot follow version {summary?.Version ?? 0} of account {accountId}."),
        };
}
