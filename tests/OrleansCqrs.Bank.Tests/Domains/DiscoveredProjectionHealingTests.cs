using OrleansCqrs.Bank.Tests.Healing;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;

namespace OrleansCqrs.Bank.Tests.Domains;

/// <summary>
/// A stream projection is healed because it exists, not because someone remembered to list it: the tests' domain is
/// added to the silo like the bank (<see cref="ClusterFixture"/>), and nothing else names <see cref="TallyProjection"/>.
/// </summary>
public sealed class DiscoveredProjectionHealingTests(HealingCluster cluster) : IClassFixture<HealingCluster>
{
    private static readonly EventSerializer Serializer = new(new EventTypeRegistry([typeof(Tallied)]));

    [Fact]
    public async Task A_stream_projection_declared_only_by_its_subscription_is_healed_with_nobody_reading()
    {
        var key = $"tally-{Guid.NewGuid():N}";
        // Committed and never published (as if the silo died between commit and publish): nothing but the healer
        // can bring these to the projection, which nothing else activates.
        var metadata = new EventMetadata(Guid.NewGuid(), DateTimeOffset.UtcNow);
        await cluster.Log.AppendAsync(new AppendRequest(
            StreamNames.StoreStreamId(TallyProjection.StreamName, key), 0, [Serializer.Serialize(new Tallied(5), metadata), Serializer.Serialize(new Tallied(7), metadata)], metadata.CommandId));

        var projection = cluster.Grains.GetGrain<ITallyProjection>(key);
        var projectionId = projection.GetGrainId();
        await HealerAudit.AwaitHealAsync(cluster.Grains, h => h.Projection == projectionId && h.ReachedVersion == 2, $"{projectionId} healed to version 2");

        var total = await projection.GetTotal();
        Assert.Equal((12, 2L, false), (total.View, total.Version, total.Stale));
    }
}
