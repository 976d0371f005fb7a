using System.Collections.Immutable;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Events;

namespace OrleansCqrs.Bank.Transfers;

/// <summary>One step a transfer went through, and when.</summary>
[GenerateSerializer, Immutable, Alias("bank.transfer.step.v1")]
public sealed record TransferStep([property: Id(0)] string Step, [property: Id(1)] DateTimeOffset At);

/// <summary>The transfer process manager's state: a pure fold over its events.</summary>
[GenerateSerializer, Immutable, Alias("bank.transfer.state.v1")]
public sealed record TransferState(
    [property: Id(0)] TransferPhase Phase,
    [property: Id(1)] TransferRequested? Request,
    [property: Id(2)] string? Code,
    [property: Id(3)] string? Reason,
    [property: Id(4)] ImmutableList<TransferStep> Steps) : IAggregateState<TransferState>
{
    public static TransferState Initial { get; } = new(TransferPhase.None, null, null, null, []);

    public bool HasEnded => Phase is TransferPhase.Completed or TransferPhase.Failed;

    public TransferState Apply(IDomainEvent domainEvent) => domainEvent switch
    {
        TransferRequested e => this with { Phase = TransferPhase.Requested, Request = e, Steps = Steps.Add(new("requested", e.At)) },
        TransferDebited e => this with { Steps = Steps.Add(new("debited", e.At)) },
        TransferCredited e => this with { Steps = Steps.Add(new("credited", e.At)) },
        TransferCompleted e => this with { Phase = TransferPhase.Completed, Steps = Steps.Add(new("completed", e.At)) },
        TransferCreditRefused e => this with { Phase = TransferPhase.Refunding, Code = e.Code, Reason = e.Reason, Steps = Steps.Add(new("credit-refused", e.At)) },
        TransferRefunded e => this with { Steps = Steps.Add(new("refunded", e.At)) },
        TransferFailed e => this with { Phase = TransferPhase.Failed, Code = e.Code, Reason = e.Reason, Steps = Steps.Add(new("failed", e.At)) },
        _ => throw new ArgumentException($"A transfer does not take {domainEvent.GetType().Name}.", nameof(domainEvent)),
    };
}
