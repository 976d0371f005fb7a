namespace OrleansCqrs.Framework.Aggregates;

/// <summary>
/// The aggregate's fold refuses an event that is in its stream: its state cannot be rebuilt, so it takes no command
/// until the fold (or the data) is fixed. Nothing stored is lost.
/// </summary>
[GenerateSerializer]
public sealed class AggregateFaultedException : Exception
{
    public AggregateFaultedException(string streamId, long version, Exception innerException)
        : base($"Stream '{streamId}' cannot be folded at version {version}: {innerException?.Message}", innerException)
    {
        StreamId = streamId;
        Version = version;
    }

    [Id(0)] public string StreamId { get; }

    [Id(1)] public long Version { get; }
}
