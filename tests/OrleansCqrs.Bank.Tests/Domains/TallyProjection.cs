using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Bank.Tests.Domains;

/// <summary>
/// A stream projection of the tests' own domain, registered nowhere but by its subscription attribute (and its
/// assembly being added as a domain). No aggregate publishes on its streams: only the healer can bring it events.
/// Its state lives in a grain storage only it names, so the silo has that storage only if it was found in its type.
/// </summary>
[ImplicitStreamSubscription(StreamName)]
public sealed class TallyProjection(
    [PersistentState("tally", TallyProjection.Storage)] IPersistentState<ProjectionState<TallyState>> persisted,
    ProjectionServices services)
    : StreamProjectionGrain<TallyState>(persisted, services), ITallyProjection
{
    public const string StreamName = "tests.tally";
    public const string Storage = "tests-tallies";

    protected override string StreamNamespace => StreamName;

    protected override TallyState Initial { get; } = new(0);

    protected override TallyState Apply(TallyState state, EventEnvelope envelope) =>
        envelope.Event is Tallied tallied ? state with { Total = state.Total + tallied.By } : state;

    // No minimum version: the read itself never makes it catch up from the store.
    public Task<ProjectionRead<int>> GetTotal() => ReadAsync(0, TimeSpan.Zero, (state, _) => state.Total);
}
