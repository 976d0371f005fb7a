namespace OrleansCqrs.Framework.EventStore;

/// <summary>The stream was not at the version the append expected: another writer got there first.</summary>
[GenerateSerializer]
public sealed class WrongExpectedVersionException : Exception
{
    public WrongExpectedVersionException(string streamId, long expectedVersion, long actualVersion)
        : base($"Stream '{streamId}' is at version {actualVersion}, not the expected {expectedVersion}.")
    {
        StreamId = streamId;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    [Id(0)] public string StreamId { get; }
    [Id(1)] public long ExpectedVersion { get; }
    [Id(2)] public long ActualVersion { get; }
}
