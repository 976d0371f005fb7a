namespace OrleansCqrs.Framework.Events;

/// <summary>The one convention that ties an aggregate's Orleans stream to its stream in the event store.</summary>
public static class StreamNames
{
    /// <summary>The event-store stream of the aggregate <paramref name="key"/> of type <paramref name="streamNamespace"/>.</summary>
    public static string Store(string streamNamespace, string key) => $"{streamNamespace}-{key}";
}
