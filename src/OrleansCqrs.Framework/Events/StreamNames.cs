namespace OrleansCqrs.Framework.Events;

/// <summary>The one convention that ties an aggregate's Orleans stream to its stream in the event store.</summary>
public static class StreamNames
{
    /// <summary>The event-store stream of the aggregate <paramref name="key"/> of type <paramref name="streamNamespace"/>.</summary>
    public static string StoreStreamId(string streamNamespace, string key) => $"{streamNamespace}-{key}";

    /// <summary>The aggregate key of an event-store stream, if the stream belongs to <paramref name="streamNamespace"/>.</summary>
    public static string? KeyOf(string streamNamespace, string storeStreamId)
    {
        ArgumentNullException.ThrowIfNull(streamNamespace);
        ArgumentNullException.ThrowIfNull(storeStreamId);
        return storeStreamId.Length > streamNamespace.Length + 1
            && storeStreamId.StartsWith(streamNamespace, StringComparison.Ordinal)
            && storeStreamId[streamNamespace.Length] == '-'
                ? storeStreamId[(streamNamespace.Length + 1)..]
                : null;
    }
}
