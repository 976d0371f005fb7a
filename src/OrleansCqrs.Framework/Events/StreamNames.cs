namespace OrleansCqrs.Framework.Events;

/// <summary>The one convention that ties an aggregate's Orleans stream to its stream in the event store.</summary>
public static class StreamNames
{
    /// <summary>The event-store stream of the aggregate <paramref name="key"/> of type <paramref name="streamNamespace"/>.</summary>
    public static string StoreStreamId(string streamNamespace, string key) => $"{streamNamespace}-{key}";

    /// <summary>The aggregate key of an event-store stream, if the stream belongs to <paramref name="streamNamespace"/>.</summary>
    public static string? KeyOf(string streamNamespace, string storeStreamId) =>
        TryKeyOf(streamNamespace, storeStreamId, out var key) ? key.ToString() : null;

    /// <summary>
    /// Whether the stream belongs to <paramref name="streamNamespace"/>, and its aggregate key as a slice of
    /// <paramref name="storeStreamId"/>: no string is made, for readers that look at every event of the log.
    /// </summary>
    public static bool TryKeyOf(string streamNamespace, string storeStreamId, out ReadOnlySpan<char> key)
    {
        ArgumentNullException.ThrowIfNull(streamNamespace);
        ArgumentNullException.ThrowIfNull(storeStreamId);
        var belongs = storeStreamId.Length > streamNamespace.Length + 1
            && storeStreamId.StartsWith(streamNamespace, StringComparison.Ordinal)
            && storeStreamId[streamNamespace.Length] == '-';
        key = belongs ? storeStreamId.AsSpan(streamNamespace.Length + 1) : default;
        return belongs;
    }
}
