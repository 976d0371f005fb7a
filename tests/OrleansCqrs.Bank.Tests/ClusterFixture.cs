using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.Streams;
using Orleans.TestingHost;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.EventStore.InMemory;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Processes;
using OrleansCqrs.Framework.Projections.Healing;
using OrleansCqrs.Framework.Projections.Rows;
using OrleansCqrs.Framework.Publishing;
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
    private const string StoreKey = "Tests:Store";
    private const string GraceKey = "Tests:HealingGraceMs";

    /// <summary>
    /// The silos' roles by instance, comma-separated (<c>write,read,read</c>: the primary writes); a silo started later
    /// takes the last one.
    /// </summary>
    public const string RolesKey = "Tests:Roles";

    private static readonly ConcurrentDictionary<string, RecordingEventStore> OwnStores = new(StringComparer.Ordinal);

    /// <summary>Small, so that a test can fill an aggregate's publish queue quickly.</summary>
    public const int MaxUnpublishedEvents = 20;

    public static InMemoryEventStore Database { get; } = new();

    public static RecordingEventStore Store { get; } = new(Database);

    /// <summary>Projection rows, shared by the silos like the store: a shard resumes from its saved rows on any silo.</summary>
    public static RecordingProjectionRowStore Rows { get; } = new(new InMemoryProjectionRowStore());

    private static readonly ConcurrentDictionary<string, RecordingProjectionRowStore> OwnRows = new(StringComparer.Ordinal);

    /// <summary>The projection rows of the cluster deployed with <paramref name="name"/>: its own, like its event store.</summary>
    public static RecordingProjectionRowStore RowsOf(string name) => OwnRows.GetOrAdd(name, _ => new RecordingProjectionRowStore(new InMemoryProjectionRowStore()));

    public static EventSerializer Serializer { get; } = new(EventTypeRegistry.FromAssemblies(typeof(AccountOpened).Assembly));

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    public async ValueTask InitializeAsync() => Cluster = await DeployAsync();

    /// <summary>A new two-silo cluster on the shared store, for tests that stop silos.</summary>
    public static Task<TestCluster> DeployAsync() => DeployAsync(null, null);

    /// <summary>
    /// A new two-silo cluster. With a <paramref name="name"/>, on a store of its own (see <see cref="StoreOf"/>,
    /// which may already hold events).
    /// </summary>
    public static Task<TestCluster> DeployAsync(string? name, TimeSpan? healingGrace = null) => DeployAsync(name, healingGrace, _ => { });

    /// <summary>As above, with <paramref name="configure"/> adding to the silos' setup (its registrations win).</summary>
    public static async Task<TestCluster> DeployAsync(string? name, TimeSpan? healingGrace, Action<TestClusterBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new TestClusterBuilder(2);
        if (name is not null)
        {
            builder.Properties[StoreKey] = name;
        }

        if (healingGrace is { } grace)
        {
            builder.Properties[GraceKey] = $"{(int)grace.TotalMilliseconds}";
        }

        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        configure(builder);
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    /// <summary>The store of the cluster deployed with <paramref name="name"/> (created on first use).</summary>
    public static RecordingEventStore StoreOf(string name) => OwnStores.GetOrAdd(name, _ => new RecordingEventStore(new InMemoryEventStore()));

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
        // TestCluster names its silos Primary, Secondary_1, Secondary_2, ... (Orleans:Name).
        private static string RoleOf(IConfiguration configuration)
        {
            if (configuration[RolesKey] is not { } roles)
            {
                return "all";
            }

            var name = configuration["Orleans:Name"] ?? "";
            var instance = name.StartsWith("Secondary_", StringComparison.Ordinal)
                ? int.Parse(name["Secondary_".Length..], System.Globalization.CultureInfo.InvariantCulture)
                : 0;
            var byInstance = roles.Split(',');
            return byInstance[Math.Min(instance, byInstance.Length - 1)];
        }

        public void Configure(ISiloBuilder siloBuilder)
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["OrleansCqrs:Store"] = nameof(StoreKind.InMemory),
                    ["OrleansCqrs:SnapshotEvery"] = SnapshotEvery.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["OrleansCqrs:Role"] = RoleOf(siloBuilder.Configuration),
                })
                .Build();
            // The tests' own domain beside the bank: a projection declared only by its stream subscription (Healing/).
            siloBuilder.AddOrleansCqrs(configuration, AppContext.BaseDirectory, cqrs => cqrs.AddDomain<BankModule>().AddDomain<Domains.TallyModule>());
            Roles.LateSiloMetadata.DecorateIfLate(siloBuilder);
            siloBuilder.Services.AddSingleton<IEventStore>(sp =>
            {
                var name = sp.GetRequiredService<IConfiguration>()[StoreKey];
                return (name is null ? Store : StoreOf(name)).ForSilo(sp.GetRequiredService<IGrainContextAccessor>());
            });
            // Each log reader reads the store itself in the tests' silos, from its own grain: the store's per-grain fault
            // injection (a slow backlog for one shard) reaches it. Sharing is tested on its own (SharedLogReaderTests).
            siloBuilder.Services.AddSingleton(sp => new SharedLogReader(sp.GetRequiredService<IEventStore>(), capacity: 0));
            foreach (var storage in (string[])[BankStorage.Snapshots, BankStorage.Projections, ProcessResumer.Storage])
            {
                siloBuilder.Services.AddKeyedSingleton<IGrainStorage>(storage, (sp, _) =>
                    new SharedGrainStorage(sp.GetRequiredService<IConfiguration>()[StoreKey] ?? "shared", sp.GetRequiredService<DeepCopier>()));
            }

            siloBuilder.Services.AddOptions<HealingOptions>().Configure<IConfiguration>((options, config) =>
            {
                if (config[GraceKey] is { } ms)
                {
                    options.Grace = TimeSpan.FromMilliseconds(int.Parse(ms, System.Globalization.CultureInfo.InvariantCulture));
                }
            });
            siloBuilder.AddOutgoingGrainCallFilter<PublishFaults.Filter>();
            siloBuilder.AddOutgoingGrainCallFilter<DeliveryHold.Filter>();
            siloBuilder.AddIncomingGrainCallFilter<QueuePollLocality>();
            siloBuilder.AddIncomingGrainCallFilter<Roles.ActivationSites>();
            siloBuilder.AddOutgoingGrainCallFilter<Roles.KeeperCalls>();
            siloBuilder.Services.AddSingleton<IEventPublisher>(sp => new GatedEventPublisher(ActivatorUtilities.CreateInstance<StreamEventPublisher>(sp)));
            siloBuilder.Services.Configure<AggregateOptions>(options => options.MaxUnpublishedEvents = MaxUnpublishedEvents);
            siloBuilder.Services.AddSingleton<IProjectionRowStore>(sp => sp.GetRequiredService<IConfiguration>()[StoreKey] is { } name ? RowsOf(name) : Rows);
        }
    }
}
