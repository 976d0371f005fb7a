using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json.Nodes;
using OrleansCqrs.Framework.EventStore;

namespace OrleansCqrs.Framework.Events;

/// <summary>
/// The two-way map between event types and their stable wire names (their Orleans alias, <c>name.vN</c>), and the
/// upcaster chains that read older stored names as today's types.
/// </summary>
public sealed class EventTypeRegistry
{
    private readonly FrozenDictionary<string, Type> _byName;
    private readonly FrozenDictionary<Type, string> _byType;
    private readonly FrozenDictionary<string, string> _currentByStableName;
    private readonly FrozenDictionary<string, UpcastChain> _chains;

    public EventTypeRegistry(IEnumerable<Type> eventTypes, EventUpcasters? upcasters = null)
    {
        ArgumentNullException.ThrowIfNull(eventTypes);
        var byName = new Dictionary<string, Type>(StringComparer.Ordinal);
        var currentByStableName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var type in eventTypes)
        {
            var name = type.GetCustomAttribute<AliasAttribute>()?.Alias
                ?? throw new ArgumentException($"Event type {type.FullName} needs an [Alias] with its stable wire name.", nameof(eventTypes));
            if (!byName.TryAdd(name, type) && byName[name] != type)
            {
                throw new ArgumentException($"Event types {byName[name].FullName} and {type.FullName} share the wire name '{name}'.", nameof(eventTypes));
            }

            // One current version per name: an older version kept as a second event type would be folded as it was
            // stored, and every fold would have to know both. Older versions are read through an upcaster instead.
            var stableName = EventTypeName.Parse(name).Name;
            if (!currentByStableName.TryAdd(stableName, name) && currentByStableName[stableName] != name)
            {
                throw new ArgumentException(
                    $"Event types {byName[currentByStableName[stableName]].FullName} ('{currentByStableName[stableName]}') and {type.FullName} ('{name}') are two versions of '{stableName}': keep the newest and read the older one through an upcaster.",
                    nameof(eventTypes));
            }
        }

        _byName = byName.ToFrozenDictionary(StringComparer.Ordinal);
        _byType = byName.ToFrozenDictionary(pair => pair.Value, pair => pair.Key);
        _currentByStableName = currentByStableName.ToFrozenDictionary(StringComparer.Ordinal);
        _chains = ResolveChains(upcasters?.Steps ?? new Dictionary<string, UpcastStep>(), byName);
    }

    /// <summary>
    /// Every concrete <see cref="IDomainEvent"/> type declared in the given assemblies, read through the upcasters
    /// that the <see cref="IEventEvolution"/> implementations in the same assemblies register.
    /// </summary>
    public static EventTypeRegistry FromAssemblies(params Assembly[] assemblies)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        return FromTypes(assemblies.SelectMany(a => a.GetTypes()));
    }

    /// <summary>
    /// Every concrete <see cref="IDomainEvent"/> among <paramref name="types"/>, read through the upcasters that the
    /// <see cref="IEventEvolution"/> implementations among them register.
    /// </summary>
    public static EventTypeRegistry FromTypes(IEnumerable<Type> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        var concrete = types.Where(t => t is { IsAbstract: false, IsInterface: false }).Distinct().ToList();
        var upcasters = new EventUpcasters();
        foreach (var evolution in concrete.Where(typeof(IEventEvolution).IsAssignableFrom))
        {
            var instance = (IEventEvolution)(Activator.CreateInstance(evolution)
                ?? throw new ArgumentException($"{evolution.FullName} needs a public parameterless constructor.", nameof(types)));
            instance.Register(upcasters);
        }

        return new EventTypeRegistry(concrete.Where(typeof(IDomainEvent).IsAssignableFrom), upcasters);
    }

    public string NameOf(Type eventType) =>
        _byType.TryGetValue(eventType, out var name)
            ? name
            : throw new InvalidOperationException($"Event type {eventType.FullName} is not registered.");

    /// <summary>The event type that events stored as <paramref name="name"/> are read as (through upcasters if it is an older name).</summary>
    public Type TypeOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _chains.TryGetValue(name, out var chain) ? chain.Type : throw Unknown(name, storedAt: null);
    }

    /// <summary>
    /// The type an event's stored name reads as and the upcasts on the way; none for a current name, so today's events
    /// pay nothing (where the event is stored is put into words only for the error).
    /// </summary>
    internal UpcastChain Resolve(RecordedEvent recorded) =>
        _chains.TryGetValue(recorded.Type, out var chain) ? chain : throw Unknown(recorded.Type, $"{recorded.StreamId}@{recorded.Version}");

    private UnknownEventTypeException Unknown(string storedName, string? storedAt) => new(storedName, storedAt, WhyUnknown(storedName));

    private string WhyUnknown(string storedName)
    {
        if (!EventTypeName.TryParse(storedName, out var parsed))
        {
            return "the name carries no version";
        }

        return _currentByStableName.TryGetValue(parsed.Name, out var current)
            ? $"today's version is '{current}' ({_byName[current].FullName}) and no upcaster reads version {parsed.Version}"
            : $"no registered event type is named '{parsed.Name}' at any version, and no upcaster renames it";
    }

    /// <summary>Follows every upcaster to the event type it ends at, so a broken chain fails at startup, not on some later read.</summary>
    private static FrozenDictionary<string, UpcastChain> ResolveChains(IReadOnlyDictionary<string, UpcastStep> steps, Dictionary<string, Type> byName)
    {
        // Today's names are in the same map with no upcasts: one lookup per read, nothing allocated.
        var chains = byName.ToDictionary(pair => pair.Key, pair => new UpcastChain(pair.Value, []), StringComparer.Ordinal);
        foreach (var from in steps.Keys)
        {
            if (byName.TryGetValue(from, out var registered))
            {
                throw new ArgumentException($"An upcaster reads '{from}', but that is the name of the registered event type {registered.FullName}: the upcaster would never run.", nameof(steps));
            }

            var upcasts = new List<Func<JsonObject, JsonObject>>();
            var visited = new List<string> { from };
            var current = from;
            while (!byName.ContainsKey(current))
            {
                if (!steps.TryGetValue(current, out var step))
                {
                    throw new ArgumentException($"The upcasters from '{from}' end at '{current}', which is neither a registered event type nor upcast further.", nameof(steps));
                }

                upcasts.Add(step.Upcast);
                current = step.To;
                if (visited.Contains(current, StringComparer.Ordinal))
                {
                    throw new ArgumentException($"The upcasters from '{from}' go round in a circle: {string.Join(" -> ", visited)} -> {current}.", nameof(steps));
                }

                visited.Add(current);
            }

            chains[from] = new UpcastChain(byName[current], [.. upcasts]);
        }

        return chains.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
