using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.Processes;

namespace OrleansCqrs.Bank.Transfers;

// The transfer's own stream (bank.transfer-{id}). Wire names and parameter order are part of the stored log: never
// change them (docs/event-evolution.md). Each event carries when its step happened, for the transfer's step list.

[GenerateSerializer, Immutable, Alias("bank.transfer.requested.v1")]
public sealed record TransferRequested(
    [property: Id(0)] string FromAccountId,
    [property: Id(1)] string ToAccountId,
    [property: Id(2)] decimal Amount,
    [property: Id(3)] string Currency,
    [property: Id(4)] string? CustomerId,
    [property: Id(5)] DateTimeOffset At) : IDomainEvent;

/// <summary>The source account sent the money: it is in flight.</summary>
[GenerateSerializer, Immutable, Alias("bank.transfer.debited.v1")]
public sealed record TransferDebited([property: Id(0)] DateTimeOffset At) : IDomainEvent;

[GenerateSerializer, Immutable, Alias("bank.transfer.credited.v1")]
public sealed record TransferCredited([property: Id(0)] DateTimeOffset At) : IDomainEvent;

[GenerateSerializer, Immutable, Alias("bank.transfer.completed.v1")]
public sealed record TransferCompleted([property: Id(0)] DateTimeOffset At) : IProcessOutcome;

/// <summary>The destination refused the money after the debit: it goes back to the source.</summary>
[GenerateSerializer, Immutable, Alias("bank.transfer.credit-refused.v1")]
public sealed record TransferCreditRefused([property: Id(0)] string Code, [property: Id(1)] string Reason, [property: Id(2)] DateTimeOffset At) : IDomainEvent;

[GenerateSerializer, Immutable, Alias("bank.transfer.refunded.v1")]
public sealed record TransferRefunded([property: Id(0)] DateTimeOffset At) : IDomainEvent;

/// <summary>The transfer ended without moving money (the debit was refused, or the money came back).</summary>
[GenerateSerializer, Immutable, Alias("bank.transfer.failed.v1")]
public sealed record TransferFailed([property: Id(0)] string Code, [property: Id(1)] string Reason, [property: Id(2)] DateTimeOffset At) : IProcessOutcome;
