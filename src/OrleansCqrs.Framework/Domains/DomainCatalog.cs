using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Providers;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.Processes;
using OrleansCqrs.Framework.Projections;
using OrleansCqrs.Framework.Projections.Healing;

namespace OrleansCqrs.Framework.Domains;

/// <summary>
/// What a set of domain assemblies declares, read from the types themselves so that no second list has to be kept in
/// step with the code: the event types, the stream projections by the stream namespace they subscribe to (the
/// healer's targets), the process managers (the resumer's), the grain storages their grains name, and their <see cref="IDomainModule"/>s.
/// </summary>
public sealed class DomainCatalog
{
    /// <summary>What whole assemblies declare.</summary>
    public DomainCatalog(IEnumerable<Assembly> assemblies)
        : this(assemblies.Distinct().SelectMany(a => a.GetTypes()))
    {
    }

    /// <summary>What the given types declare (a domain may be a namespace of a larger assembly).</summary>
    public DomainCatalog(IEnumerable<Type> declared)
    {
        ArgumentNullException.ThrowIfNull(declared);
        var types = declared.Where(t => t is { IsAbstract: false, IsInterface: false }).Distinct().ToList();
        _types = types;
        EventTypes = [.. types.Where(typeof(IDomainEvent).IsAssignableFrom)];
        StreamProjections = types.Where(IsStreamProjection)
            .SelectMany(t => t.GetCustomAttributes<ImplicitStreamSubscriptionAttribute>().Select(a => (Namespace: NamespaceOf(t, a), Projection: t)))
            .GroupBy(p => p.Namespace, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Type>)[.. g.Select(p => p.Projection)], StringComparer.Ordinal);
        SubscribedNamespaces = types.Where(typeof(IGrainBase).IsAssignableFrom)
            .SelectMany(t => t.GetCustomAttributes<ImplicitStreamSubscriptionAttribute>().Select(a => NamespaceOf(t, a)))
            .ToHashSet(StringComparer.Ordinal);
        ProcessManagers = types.Select(t => (Type: t, Attribute: t.GetCustomAttribute<ProcessManagerAttribute>()))
            .Where(p => p.Attribute is not null)
            .ToDictionary(p => p.Attribute!.StreamNamespace, p => p.Type, StringComparer.Ordinal);
        var named = types.Where(typeof(IGrainBase).IsAssignableFrom)
            .SelectMany(t => t.GetConstructors().SelectMany(c => c.GetParameters()).Select(p => (Grain: t, State: p.GetCustomAttribute<PersistentStateAttribute>())))
            .Where(n => n.State is not null)
            .Select(n => (n.Grain, Storage: n.State!.StorageName ?? ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME))
            .ToList();
        GrainStorages = named.Select(n => n.Storage).ToHashSet(StringComparer.Ordinal);
        ReadModelStorages = named.Where(n => IsReadModel(n.Grain)).Select(n => n.Storage).ToHashSet(StringComparer.Ordinal);
        if (named.FirstOrDefault(n => IsWriteSide(n.Grain) && ReadModelStorages.Contains(n.Storage)) is { Grain: not null } mixed)
        {
            throw new InvalidOperationException(
                $"The grain {mixed.Grain.FullName} keeps write-side state in the storage '{mixed.Storage}', which read models use too: "
                + "read models may live in a database of their own (OrleansCqrs:ReadStoreConnectionString), so the two need storages of their own.");
        }

        Modules = [.. types.Where(typeof(IDomainModule).IsAssignableFrom)];
    }

    private readonly List<Type> _types;

    /// <summary>Every concrete <see cref="IDomainEvent"/> type.</summary>
    public IReadOnlyList<Type> EventTypes { get; }

    /// <summary>
    /// For each stream namespace, the <see cref="StreamProjectionGrain{TState}"/> classes that subscribe to its streams with
    /// <c>[ImplicitStreamSubscription]</c>: the projections the healer brings every committed event to.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Type>> StreamProjections { get; }

    /// <summary>
    /// The stream namespaces a grain of these domains subscribes to with <c>[ImplicitStreamSubscription]</c>: the only
    /// ones whose events are worth publishing (<see cref="Aggregates.AggregateOptions.PublishedNamespaces"/>).
    /// </summary>
    public IReadOnlySet<string> SubscribedNamespaces { get; }

    /// <summary>
    /// For each process manager's stream namespace, its <c>[ProcessManager]</c> grain class: the processes the
    /// <see cref="ProcessResumer"/> finishes.
    /// </summary>
    public IReadOnlyDictionary<string, Type> ProcessManagers { get; }

    /// <summary>The grain storage providers named by <c>[PersistentState]</c> on the grains' constructors.</summary>
    public IReadOnlySet<string> GrainStorages { get; }

    /// <summary>
    /// The grain storages that hold read-side state: those a stream projection or the projection healer names (and so
    /// every grain that shares one with them). They may live in a read store of their own; aggregates and process
    /// managers may not name one (refused when the catalog is built).
    /// </summary>
    public IReadOnlySet<string> ReadModelStorages { get; }

    /// <summary>The <see cref="IDomainModule"/> classes.</summary>
    public IReadOnlyList<Type> Modules { get; }

    /// <summary>The event types with the upcasters the domains' <see cref="IEventEvolution"/>s register.</summary>
    public EventTypeRegistry CreateEventTypeRegistry() => EventTypeRegistry.FromTypes(_types);

    /// <summary>Adds every domain's own services (<see cref="IDomainModule"/>) to <paramref name="services"/>.</summary>
    public void ConfigureModules(IServiceCollection services)
    {
        foreach (var module in Modules)
        {
            var instance = module.GetConstructor(Type.EmptyTypes) is { } constructor
                ? (IDomainModule)constructor.Invoke(null)
                : throw new InvalidOperationException($"The domain module {module.FullName} needs a public parameterless constructor.");
            instance.ConfigureSilo(services);
        }
    }

    private static bool IsReadModel(Type type) => IsStreamProjection(type) || type == typeof(ProjectionHealer);

    private static bool IsWriteSide(Type type) => type == typeof(ProcessResumer) || DerivesFrom(type, typeof(AggregateGrain<>));

    private static bool IsStreamProjection(Type type) => DerivesFrom(type, typeof(StreamProjectionGrain<>));

    private static bool DerivesFrom(Type type, Type genericBase)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == genericBase)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The healer matches the log's stream ids against a namespace, and only named namespaces are published; a pattern
    /// subscription names none, so it is refused here rather than left silently unhealed or unfed. Orleans describes a
    /// subscription to one namespace by the pattern <c>namespace:</c> followed by the namespace.
    /// </summary>
    private static string NamespaceOf(Type grain, ImplicitStreamSubscriptionAttribute subscription)
    {
        const string ExactMatch = "namespace:";
        var pattern = subscription.Predicate.PredicatePattern;
        return pattern.StartsWith(ExactMatch, StringComparison.Ordinal) && subscription.Predicate.IsMatch(pattern[ExactMatch.Length..])
            ? pattern[ExactMatch.Length..]
            : throw new InvalidOperationException(
                $"The grain {grain.FullName} subscribes to '{pattern}': it must subscribe to one stream namespace by name, or the healer cannot follow it and its events are not published.");
    }
}
