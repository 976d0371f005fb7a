using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.Streams;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.EventStore.InMemory;
using OrleansCqrs.Framework.EventStore.Postgres;
using OrleansCqrs.Framework.EventStore.Sqlite;
using OrleansCqrs.Framework.Processes;
using OrleansCqrs.Framework.Projections;
using OrleansCqrs.Framework.Projections.Healing;
using OrleansCqrs.Framework.Publishing;
using OrleansCqrs.Framework.Projections.Rows;

namespace OrleansCqrs.Hosting;

/// <summary>Everything a silo of ours needs besides clustering: stores, grain storage, streams, serializers.</summary>
public static class SiloSetup
{
    public const string EventsFile = "events.db";
    public const string GrainsFile = "grains.db";

    /// <summary>
    /// How long a pulling agent whose queue was empty waits for the next event before it reads the queue again
    /// (<see cref="ArrivalWaitingReceiver"/>): an event that arrives is read at once, so this only bounds how seldom an
    /// idle queue is read.
    /// </summary>
    public static readonly TimeSpan StreamQueueIdleWait = TimeSpan.FromMilliseconds(250);

    /// <summary>Memory stream queues; clients that publish must use the same number.</summary>
    public const int StreamQueues = 4;

    /// <summary>How long an event stays in a stream queue's cache at least, for consumers a little behind.</summary>
    public static readonly TimeSpan StreamCacheMinTime = TimeSpan.FromSeconds(5);

    /// <summary>Events older than this, by the newest in the cache, are purged once past <see cref="StreamCacheMinTime"/>.</summary>
    public static readonly TimeSpan StreamCacheMaxAge = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The framework on this silo, for the domains <paramref name="domains"/> adds, e.g.
    /// <c>cqrs =&gt; cqrs.AddDomain&lt;BankModule&gt;()</c>: their event types, healed stream projections, grain storages
    /// and modules are found in their assemblies.
    /// </summary>
    public static ISiloBuilder AddOrleansCqrs(this ISiloBuilder silo, IConfiguration configuration, string contentRoot, Action<OrleansCqrsBuilder> domains)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(domains);
        var settings = OrleansCqrsSettings.From(configuration);
        if (settings.HasSeparateReadStore)
        {
            // A read store needs PostgreSQL for the event log too: refused at start, not at the first read.
            _ = settings.RequireReadStore();
        }

        var cqrs = new OrleansCqrsBuilder();
        domains(cqrs);
        var catalog = cqrs.Build();

        silo.Services.AddSingleton(settings);
        silo.Services.CacheGrainInterfaceTypes();
        silo.AddSiloRole(configuration, settings);
        silo.Services.Configure<ExceptionSerializationOptions>(ClusterSetup.CarryDatabaseErrors);
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(new SchemaMigrationStartup(settings, contentRoot));
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(new PostgresDurabilityCheck(settings));
        silo.Services.AddSingleton(_ => catalog.CreateEventTypeRegistry());
        silo.Services.AddSingleton<EventSerializer>();
        silo.Services.AddSingleton<IEventPublisher, StreamEventPublisher>();
        silo.Services.AddSingleton<AggregateServices>();
        silo.Services.AddSingleton(sp => new SharedLogReader(sp.GetRequiredService<IEventStore>()));
        silo.Services.AddSingleton<ProjectionServices>();
        silo.Services.AddSingleton(TimeProvider.System);
        silo.Services.Configure<AggregateOptions>(options =>
        {
            options.SnapshotEvery = settings.SnapshotEvery;
            options.StreamProvider = StreamProviders.Events;
            options.PublishedNamespaces = catalog.SubscribedNamespaces;
        });
        silo.Services.AddSingleton<IEventStore>(_ => CreateEventStore(settings, contentRoot));
        var rejectionRetention = settings.RequireRejectedCommandRetention();
        silo.Services.Configure<CommandOutcomeOptions>(options => options.RejectionRetention = rejectionRetention);
        silo.Services.AddHostedService<RejectionPurge>();
        silo.Services.AddSingleton<IProjectionRowStore>(_ => CreateProjectionRowStore(settings, contentRoot));
        // Every stream projection a domain declares is healed: there is no list to forget it in.
        silo.Services.Configure<HealingOptions>(options =>
        {
            foreach (var (streamNamespace, projections) in catalog.StreamProjections)
            {
                options.Projections[streamNamespace] = [.. projections];
            }
        });
        silo.Services.AddSingleton<AppliedProgress>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, AppliedProgressPusher>();
        // Every process manager a domain declares is resumed after a crash or restart, the same way.
        silo.Services.Configure<ProcessOptions>(options =>
        {
            foreach (var (streamNamespace, grain) in catalog.ProcessManagers)
            {
                options.Processes[streamNamespace] = grain;
            }
        });
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, ProcessResumerKeeper>();
        catalog.ConfigureModules(silo.Services);
        SiloLimitsSettings.From(configuration).Configure(silo);

        silo.Services.AddSingleton<Orleans.Runtime.Placement.IPlacementStrategyResolver, StreamQueuePlacement>();
        silo.Services.AddSingleton<QueueArrivals>();
        silo.AddIncomingGrainCallFilter<StreamQueueGrainCalls>();
        foreach (var storage in catalog.GrainStorages)
        {
            AddGrainStorage(silo, storage, catalog.ReadModelStorages.Contains(storage), settings, contentRoot);
        }

        silo.AddMemoryStreams(StreamProviders.Events, streams =>
        {
            ConfigureEventStreams(streams);
            streams.ConfigurePartitionBalancing(ReadSideQueueBalancer.Create);
            streams.ConfigureComponent<IQueueAdapterFactory>(ArrivalWaitingAdapterFactory.Create);
        });
        return silo;
    }

    /// <summary>
    /// How the committed events' memory streams are set up: implicit subscriptions only (no pub-sub store),
    /// <see cref="StreamQueues"/> queues, a 5 ms poll, and a cache that keeps seconds of events, not half an hour.
    /// </summary>
    /// <remarks>
    /// Orleans' defaults purge a cached event only once it is 5 minutes in the cache and 30 minutes older than the
    /// newest: under steady load the cache holds the last half hour of events (at 14,000 events/s, tens of millions),
    /// and every full collection walks them. A consumer that falls further behind than the cache reaches gets a cache
    /// miss, which our projections already survive: they fill the gap from the event store.
    /// </remarks>
    public static void ConfigureEventStreams(ISiloMemoryStreamConfigurator streams)
    {
        ArgumentNullException.ThrowIfNull(streams);
        streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
        streams.ConfigurePartitioning(StreamQueues);
        // Memory streams are pulled: the default 100 ms poll alone puts ~50 ms of lag on every event.
        streams.ConfigurePullingAgent(agent => agent.Configure(o =>
        {
            o.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(5);
            o.BatchContainerBatchSize = 16;
        }));
        streams.ConfigureCacheEviction(eviction => eviction.Configure(o =>
        {
            o.DataMinTimeInCache = StreamCacheMinTime;
            o.DataMaxAgeInCache = StreamCacheMaxAge;
            // The last purged position of each stream is kept as long as Orleans keeps it (minutes): a stream idle
            // past the data's purge then resumes from the oldest event cached instead of taking a cache miss.
        }));
    }

    private static IEventStore CreateEventStore(OrleansCqrsSettings settings, string contentRoot)
    {
        switch (settings.Store)
        {
            case StoreKind.Postgres:
                var postgres = new PostgresEventStoreOptions { ConnectionString = settings.RequirePostgres() };
                postgres.GroupCommit.Writers = settings.EventStoreWriters ?? postgres.GroupCommit.Writers;
                return new PostgresEventStore(postgres);
            case StoreKind.Sqlite:
                var sqlite = new SqliteEventStoreOptions { ConnectionString = settings.SqliteConnectionString(contentRoot, EventsFile) };
                sqlite.GroupCommit.Writers = settings.EventStoreWriters ?? sqlite.GroupCommit.Writers;
                return new SqliteEventStore(sqlite);
            default:
                return new InMemoryEventStore();
        }
    }

    /// <summary>Rows of keyed read models (log projections), in the read store (SQLite: in the events file).</summary>
    private static IProjectionRowStore CreateProjectionRowStore(OrleansCqrsSettings settings, string contentRoot) => settings.Store switch
    {
        StoreKind.Postgres => new PostgresProjectionRowStore(settings.RequireReadStore()),
        StoreKind.Sqlite => new SqliteProjectionRowStore(settings.SqliteConnectionString(contentRoot, EventsFile)),
        _ => new InMemoryProjectionRowStore(),
    };

    /// <summary>
    /// Aggregate snapshots and projection states: Orleans grain storage on the configured database; on PostgreSQL the
    /// read models' storages (<see cref="Framework.Domains.DomainCatalog.ReadModelStorages"/>) in the read store.
    /// </summary>
    private static void AddGrainStorage(ISiloBuilder silo, string name, bool holdsReadModels, OrleansCqrsSettings settings, string contentRoot)
    {
        // Our states are Orleans-serializable records: the binary serializer is compact and version tolerant (the
        // providers' default, Newtonsoft JSON, cannot even read immutable collections back).
        silo.Services.AddKeyedSingleton<IGrainStorageSerializer>(
            name,
            (sp, _) => ActivatorUtilities.CreateInstance<OrleansGrainStorageSerializer>(sp));
        if (settings.Store == StoreKind.InMemory)
        {
            silo.AddMemoryGrainStorage(name);
            return;
        }

        silo.AddAdoNetGrainStorage(name, options =>
        {
            // Orleans' "System.Data.SQLite" invariant loads Microsoft.Data.Sqlite's factory.
            options.Invariant = settings.Store == StoreKind.Postgres ? "Npgsql" : "System.Data.SQLite";
            options.ConnectionString = settings.Store != StoreKind.Postgres
                ? settings.SqliteConnectionString(contentRoot, GrainsFile)
                : holdsReadModels ? settings.RequireReadStore() : settings.RequirePostgres();
        });
        if (settings.Store == StoreKind.Postgres)
        {
            // Registered after Orleans' own, so it is the one resolved by that name: the same storage, riding out restarts.
            var connectionString = holdsReadModels ? settings.RequireReadStore() : settings.RequirePostgres();
            silo.Services.AddKeyedSingleton<IGrainStorage>(
                name, (sp, key) => new PostgresGrainStorage(AdoNetGrainStorageFactory.Create(sp, (string)key!), connectionString, holdsReadModels));
        }
    }
}
