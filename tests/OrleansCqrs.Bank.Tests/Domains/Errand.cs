using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.Processes;

namespace OrleansCqrs.Bank.Tests.Domains;

/// <summary>
/// The test domain's process: an operator starts an errand for an owner, and its one step ends it. Who may send it a
/// command depends on its state (only an operator may start one; once started, its owner may too), which a
/// process manager's first command, decided on the guess that its stream is empty, must not get wrong.
/// </summary>
[Alias("tests.IErrandGrain")]
public interface IErrandGrain : IAggregateGrain<StartErrand>, IProcessManager;

[GenerateSerializer, Immutable, Alias("tests.errand.start")]
public sealed record StartErrand([property: Id(0)] string Owner);

[GenerateSerializer, Immutable, Alias("tests.errand.started.v1")]
public sealed record ErrandStarted([property: Id(0)] string Owner) : IDomainEvent;

[GenerateSerializer, Immutable, Alias("tests.errand.done.v1")]
public sealed record ErrandDone : IProcessOutcome;

[GenerateSerializer, Immutable, Alias("tests.errand.state.v1")]
public sealed record ErrandState([property: Id(0)] string? Owner, [property: Id(1)] bool Done) : IAggregateState<ErrandState>
{
    public static ErrandState Initial { get; } = new(null, false);

    public ErrandState Apply(IDomainEvent domainEvent) => domainEvent switch
    {
        ErrandStarted started => this with { Owner = started.Owner },
        ErrandDone => this with { Done = true },
        _ => throw new ArgumentException($"An errand does not take {domainEvent.GetType().Name}.", nameof(domainEvent)),
    };
}

[ProcessManager(StreamName)]
public sealed class ErrandGrain(AggregateServices services)
    : ProcessManagerGrain<ErrandState, StartErrand>(new UnsavedSnapshot<ErrandState>(), services), IErrandGrain
{
    public const string StreamName = "tests.errand";

    public static Rejection OperatorsOnly { get; } = new(RejectionKind.Forbidden, "operators-only", "Only an operator starts an errand.");

    public static Rejection AlreadyStarted { get; } = new(RejectionKind.RuleViolated, "errand-started", "This errand was started already.");

    protected override bool IsEnded(ErrandState state) => state.Done;

    protected override Rejection? Authorize(ErrandState state, StartErrand command, Actor? actor) =>
        actor is null || actor.IsInRole("operator") || state.Owner is { } owner && actor.ActsFor(owner) ? null : OperatorsOnly;

    protected override Decision Decide(ErrandState state, StartErrand command) =>
        state.Owner is null ? Decision.Emit(new ErrandStarted(command.Owner)) : AlreadyStarted;

    protected override Task StepAsync(ErrandState state) => RecordAsync("done", _ => Decision.Emit(new ErrandDone()));
}
