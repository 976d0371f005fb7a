using OrleansCqrs.Framework.Events;

namespace OrleansCqrs.Bank.Accounts;

// Wire names and parameter order are part of the stored log: never change them; add a .v2 with an upcaster from
// the .v1 instead (docs/event-evolution.md).

[GenerateSerializer, Immutable, Alias("bank.account.opened.v1")]
public sealed record AccountOpened([property: Id(0)] string CustomerId, [property: Id(1)] string Currency) : IDomainEvent;

[GenerateSerializer, Immutable, Alias("bank.account.deposited.v1")]
public sealed record MoneyDeposited([property: Id(0)] decimal Amount) : IDomainEvent;

[GenerateSerializer, Immutable, Alias("bank.account.withdrawn.v1")]
public sealed record MoneyWithdrawn([property: Id(0)] decimal Amount) : IDomainEvent;

[GenerateSerializer, Immutable, Alias("bank.account.closed.v1")]
public sealed record AccountClosed : IDomainEvent;

/// <summary>Money left the account for a transfer: it is in flight until received or returned.</summary>
[GenerateSerializer, Immutable, Alias("bank.account.transfer-sent.v1")]
public sealed record TransferSent([property: Id(0)] string TransferId, [property: Id(1)] string ToAccountId, [property: Id(2)] decimal Amount) : IDomainEvent;

[GenerateSerializer, Immutable, Alias("bank.account.transfer-received.v1")]
public sealed record TransferReceived([property: Id(0)] string TransferId, [property: Id(1)] string FromAccountId, [property: Id(2)] decimal Amount) : IDomainEvent;

/// <summary>The money of a transfer whose credit was refused came back to its source.</summary>
[GenerateSerializer, Immutable, Alias("bank.account.transfer-returned.v1")]
public sealed record TransferReturned([property: Id(0)] string TransferId, [property: Id(1)] string ToAccountId, [property: Id(2)] decimal Amount) : IDomainEvent;
