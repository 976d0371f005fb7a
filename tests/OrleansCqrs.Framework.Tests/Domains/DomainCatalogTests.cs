using OrleansCqrs.Framework.Domains;
using OrleansCqrs.Framework.Processes;
using OrleansCqrs.Framework.Projections.Healing;

namespace OrleansCqrs.Framework.Tests.Domains;

/// <summary>What the catalog refuses. What it finds in a domain is tested on the bank (OrleansCqrs.Bank.Tests).</summary>
public sealed class DomainCatalogTests
{
    [Fact]
    public void A_stream_projection_subscribed_by_pattern_is_refused_rather_than_left_unhealed()
    {
        var refusal = Assert.Throws<InvalidOperationException>(() => new DomainCatalog([typeof(PatternSubscribedProjection).Assembly]));
        Assert.Contains(typeof(PatternSubscribedProjection).FullName!, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_storages_projections_and_the_healer_name_hold_read_models_and_the_process_resumers_does_not()
    {
        var catalog = new DomainCatalog([typeof(SharedStorageProjection), typeof(ProjectionHealer), typeof(ProcessResumer)]);

        Assert.Equal([ProjectionHealer.Storage, SharedStorageProjection.Storage], catalog.ReadModelStorages.Order(StringComparer.Ordinal));
        Assert.Contains(ProcessResumer.Storage, catalog.GrainStorages);
        Assert.DoesNotContain(ProcessResumer.Storage, catalog.ReadModelStorages);
    }

    [Fact]
    public void An_aggregate_keeping_its_snapshots_where_a_read_model_lives_is_refused_since_the_two_may_be_apart()
    {
        var refusal = Assert.Throws<InvalidOperationException>(() => new DomainCatalog([typeof(SharedStorageProjection), typeof(SharedStorageAggregate)]));
        Assert.Contains(typeof(SharedStorageAggregate).FullName!, refusal.Message, StringComparison.Ordinal);
    }
}
