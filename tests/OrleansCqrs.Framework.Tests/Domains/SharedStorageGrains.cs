using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Framework.Tests.Domains;

/// <summary>The state of <see cref="SharedStorageAggregate"/>: nothing.</summary>
public sealed record SharedStorageState : IAggregateState<SharedStorageState>
{
    public static SharedStorageState Initial { get; } = new();

    public SharedStorageState Apply(IDomainEvent domainEvent) => this;
}

/// <summary>An aggregate whose snapshots name the storage <see cref="SharedStorageProjection"/> keeps its read model in.</summary>
public sealed class SharedStorageAggregate(
    [PersistentState("snapshot", SharedStorageProjection.Storage)] IPersistentState<Snapshot<SharedStorageState>> snapshot,
    AggregateServices services)
    : AggregateGrain<SharedStorageState, string>(snapshot, services)
{
    protected override string StreamNamespace => "tests.shared";

    protected override Decision Decide(SharedStorageState state, string command) => throw new NotSupportedException();
}

/// <summary>A read model in the storage <see cref="Storage"/>, which <see cref="SharedStorageAggregate"/> names too.</summary>
[ImplicitStreamSubscription("tests.shared")]
public sealed class SharedStorageProjection(
    [PersistentState("read", SharedStorageProjection.Storage)] IPersistentState<ProjectionState<string>> persisted,
    ProjectionServices services)
    : StreamProjectionGrain<string>(persisted, services)
{
    public const string Storage = "tests-shared";

    protected override string StreamNamespace => "tests.shared";

    protected override string Initial => "";

    protected override string Apply(string state, EventEnvelope envelope) => state;
}
