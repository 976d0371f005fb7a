using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;
using Orleans.TestingHost;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.EventStore.InMemory;
using OrleansCqrs.Framework.Publishing;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Projections.Rows;
using OrleansCqrs.Hosting;

[assembly: AssemblyFixture(typeof(OrleansCqrs.Bank.Tests.ClusterFixture))]

namespace OrleansCqrs.Bank.Tests;

/// <summary>
/// Two in-process silos configured as in production but on the in-memory store, which both share (one database).
/// Shared by the whole assembly: every test uses fresh account ids.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const int SnapshotEvery = 5;

    /// <summary>Small, so that a test can fill an aggregate's publish queue quickly.</summary>
    public const int MaxUnpublishedEvents = 20;

    public static InMemoryEventStore Database { get; } = new();

    public static RecordingEventStore Store { get; } = new(Database);

    /// <summary>Projection rows, shared by the silos like the store: a shard resumes from its saved rows on any silo.</summary>
    public static RecordingProjectionRowStore Rows { get; } = new(new InMemoryProjectionRowStore());

    public static EventSerializer Serializer { get; } = new(EventTypeRegistry.FromAssemblies(typeof(AccountOpened).Assembly));

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    public async ValueTask InitializeAsync() => Cluster = await DeployAsync();

    /// <summary>A new two-silo cluster on the shared store, for tests that stop silos.</summary>
    public static async Task<TestCluster> DeployAsync()
    {
        var builder = new TestClusterBuilder(2);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    public static string StreamOf(string accountId) => $"{AccountGrain.StreamName}-{accountId}";

    /// <summary>The test client can publish on the events stream, to play a misbehaving stream to projections.</summary>
    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.AddMemoryStreams(StreamProviders.Events, streams =>
            {
                streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
                streams.ConfigurePartitioning(SiloSetup.StreamQueues);
            });
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["OrleansCqrs:Store"] = nameof(StoreKind.InMemory),
                    ["OrleansCqrs:SnapshotEvery"] = SnapshotEvery.ToString(System.Globalization.CultureInfo.InvariantCulture),
                })
                .Build();
            siloBuilder.AddOrleansCqrs(configuration, AppContext.BaseDirectory);
            siloBuilder.Services.AddSingleton<IEventStore>(sp => Store.ForSilo(sp.GetRequiredService<IGrainContextAccessor>()));
            siloBuilder.Services.AddSingleton<IEventPublisher>(sp => new GatedEventPublisher(ActivatorUtilities.CreateInstance<StreamEventPublisher>(sp)));
            siloBuilder.Services.Configure<AggregateOptions>(options => options.MaxUnpublishedEvents = MaxUnpublishedEvents);
            siloBuilder.Services.AddSingleton<IProjectionRowStore>(Rows);
        }
    }
}
