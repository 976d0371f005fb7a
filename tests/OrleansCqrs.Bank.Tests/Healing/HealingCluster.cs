using Orleans.TestingHost;
using OrleansCqrs.Framework.EventStore;

namespace OrleansCqrs.Bank.Tests.Healing;

/// <summary>
/// A two-silo cluster of its own for the healing tests, on a store of its own: nothing else forces its grains to
/// deactivate, so "the projection is active and equals the log" can only become true through delivery or healing.
/// </summary>
public sealed class HealingCluster : IAsyncLifetime
{
    private readonly string _name = $"healing-{Guid.NewGuid():N}";

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    public RecordingEventStore Store => ClusterFixture.StoreOf(_name);

    public IEventStore Log => Store.Inner;

    public async ValueTask InitializeAsync() => Cluster = await ClusterFixture.DeployAsync(_name);

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
