using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansCqrs.Framework.Events;

/// <summary>
/// The steps that turn a stored event type into a newer one, each from one stored name to the next: a new version
/// (<c>x.v1</c> to <c>x.v2</c>), a new name (<c>x.v1</c> to <c>y.v1</c>), or both. Steps chain until they reach a
/// registered event type. They run on every read; stored events are never rewritten.
/// </summary>
public sealed class EventUpcasters
{
    private readonly Dictionary<string, UpcastStep> _steps = new(StringComparer.Ordinal);

    internal IReadOnlyDictionary<string, UpcastStep> Steps => _steps;

    /// <summary>Reads events stored as <paramref name="from"/> as <typeparamref name="TNew"/> (named by its [Alias]), through the old shape <typeparamref name="TOld"/>.</summary>
    public EventUpcasters Upcast<TOld, TNew>(string from, Func<TOld, TNew> upcast)
        where TNew : class
    {
        ArgumentNullException.ThrowIfNull(upcast);
        var to = typeof(TNew).GetCustomAttribute<AliasAttribute>()?.Alias
            ?? throw new ArgumentException($"{typeof(TNew).FullName} needs an [Alias] with its event type name to be the target of an upcaster.", nameof(upcast));
        return Add(from, to, data =>
        {
            var old = data.Deserialize<TOld>(EventJson.Options)
                ?? throw new JsonException($"Event data stored as '{from}' read back as null.");
            return JsonSerializer.SerializeToNode(upcast(old), EventJson.Options)!.AsObject();
        });
    }

    /// <summary>Reads events stored as <paramref name="from"/> as <paramref name="to"/>, changing their JSON (field names are camelCase).</summary>
    public EventUpcasters Upcast(string from, string to, Func<JsonObject, JsonObject> upcast)
    {
        ArgumentNullException.ThrowIfNull(upcast);
        return Add(from, to, upcast);
    }

    /// <summary>Reads events stored as <paramref name="from"/> as <paramref name="to"/>, data unchanged: a renamed event type.</summary>
    public EventUpcasters Rename(string from, string to) => Add(from, to, data => data);

    private EventUpcasters Add(string from, string to, Func<JsonObject, JsonObject> upcast)
    {
        EventTypeName.Parse(from);
        EventTypeName.Parse(to);
        if (string.Equals(from, to, StringComparison.Ordinal))
        {
            throw new ArgumentException($"An upcaster from '{from}' to itself would never end.", nameof(to));
        }

        if (!_steps.TryAdd(from, new UpcastStep(to, upcast)))
        {
            throw new ArgumentException($"Two upcasters read '{from}' (one to '{_steps[from].To}', one to '{to}'): a stored name must have one meaning.", nameof(from));
        }

        return this;
    }
}
