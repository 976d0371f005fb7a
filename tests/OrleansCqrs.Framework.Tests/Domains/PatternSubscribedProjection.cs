using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Framework.Tests.Domains;

/// <summary>
/// A stream projection subscribed by pattern, which the healer could not follow. It makes this whole assembly a
/// domain that a silo refuses: only <see cref="DomainCatalogTests"/> reads it.
/// </summary>
[RegexImplicitStreamSubscription("tests\\..*")]
public sealed class PatternSubscribedProjection(IPersistentState<ProjectionState<string>> persisted, ProjectionServices services)
    : StreamProjectionGrain<string>(persisted, services)
{
    protected override string StreamNamespace => "tests.any";

    protected override string Initial => "";

    protected override string Apply(string state, EventEnvelope envelope) => state;
}
