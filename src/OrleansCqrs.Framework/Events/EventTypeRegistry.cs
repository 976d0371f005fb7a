using System.Collections.Frozen;
using System.Reflection;

namespace OrleansCqrs.Framework.Events;

/// <summary>The two-way map between event types and their stable wire names (their Orleans alias).</summary>
public sealed class EventTypeRegistry
{
    private readonly FrozenDictionary<string, Type> _byName;
    private readonly FrozenDictionary<Type, string> _byType;

    public EventTypeRegistry(IEnumerable<Type> eventTypes)
    {
        ArgumentNullException.ThrowIfNull(eventTypes);
        var byName = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var type in eventTypes)
        {
            var name = type.GetCustomAttribute<AliasAttribute>()?.Alias
                ?? throw new ArgumentException($"Event type {type.FullName} needs an [Alias] with its stable wire name.", nameof(eventTypes));
            if (!byName.TryAdd(name, type) && byName[name] != type)
            {
                throw new ArgumentException($"Event types {byName[name].FullName} and {type.FullName} share the wire name '{name}'.", nameof(eventTypes));
            }
        }

        _byName = byName.ToFrozenDictionary(StringComparer.Ordinal);
        _byType = byName.ToFrozenDictionary(pair => pair.Value, pair => pair.Key);
    }

    /// <summary>Every concrete <see cref="IDomainEvent"/> type declared in the given assemblies.</summary>
    public static EventTypeRegistry FromAssemblies(params Assembly[] assemblies) =>
        new(assemblies.SelectMany(a => a.GetTypes())
            .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IDomainEvent).IsAssignableFrom(t)));

    public string NameOf(Type eventType) =>
        _byType.TryGetValue(eventType, out var name)
            ? name
            : throw new InvalidOperationException($"Event type {eventType.FullName} is not registered.");

    public Type TypeOf(string name) =>
        _byName.TryGetValue(name, out var type)
            ? type
            : throw new InvalidOperationException($"No event type is registered under the name '{name}'.");
}
