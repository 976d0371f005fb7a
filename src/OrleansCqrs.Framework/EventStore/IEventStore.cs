namespace OrleansCqrs.Framework.EventStore;

/// <summary>The durable, append-only log of events: the only source of truth.</summary>
public interface IEventStore
{
    /// <summary>
    /// Appends events to a stream if it is at <see cref="AppendRequest.ExpectedVersion"/>.
    /// Throws <see cref="WrongExpectedVersionException"/> on a version conflict and
    /// <see cref="EventStoreUnavailableException"/> when the store cannot be reached in time.
    /// A command id already applied to the stream writes nothing and returns the original result.
    /// </summary>
    Task<AppendResult> AppendAsync(AppendRequest request, CancellationToken cancellationToken = default);

    /// <summary>The result of an earlier append of this command to this stream, if there was one.</summary>
    Task<AppendResult?> FindCommandAsync(string streamId, Guid commandId, CancellationToken cancellationToken = default);

    /// <summary>Events of one stream with version &gt;= <paramref name="fromVersion"/>, in version order.</summary>
    Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, long fromVersion, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>
    /// Events of all streams with position &gt; <paramref name="afterPosition"/>, in position order, never past a
    /// position that a transaction still open may fill: a reader that checkpoints the last position it saw
    /// never skips an event.
    /// </summary>
    Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>The position of the last committed event (0 for an empty log): where a reader of new events starts.</summary>
    Task<long> GetHeadPositionAsync(CancellationToken cancellationToken = default);
}
