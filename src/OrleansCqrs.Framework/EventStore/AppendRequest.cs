namespace OrleansCqrs.Framework.EventStore;

/// <summary>
/// One atomic append. <paramref name="ExpectedVersion"/> is the stream's version before the append (0: new stream).
/// <paramref name="CommandFingerprint"/> identifies the command's content, so a reused command id with other
/// content can be told apart from a retry.
/// </summary>
public sealed record AppendRequest(
    string StreamId,
    long ExpectedVersion,
    IReadOnlyList<EventData> Events,
    Guid CommandId,
    string? CommandFingerprint = null)
{
    public const int MaxStreamIdLength = 200;

    /// <summary>The most events one append may carry (a command's decision; the PostgreSQL log numbers a batch's events in 16 bits).</summary>
    public const int MaxEvents = 4096;

    /// <summary>
    /// Set (and <see cref="Events"/> empty) to record that the command was rejected at
    /// <see cref="ExpectedVersion"/>, with this outcome as the caller serialized it. It is checked like an append: a
    /// stream that moved on fails it with <see cref="WrongExpectedVersionException"/>, so a rejection always rests on
    /// the stream as stored, and a command id remembers one outcome, accepted or rejected.
    /// </summary>
    public string? RejectionOutcome { get; init; }

    /// <summary>Records a rejection of <paramref name="commandId"/> decided on the stream at <paramref name="version"/>.</summary>
    public static AppendRequest Rejection(string streamId, long version, Guid commandId, string? fingerprint, string outcome) =>
        new(streamId, version, [], commandId, fingerprint) { RejectionOutcome = outcome };

    internal void Validate()
    {
        if (string.IsNullOrEmpty(StreamId) || StreamId.Length > MaxStreamIdLength)
        {
            throw new ArgumentException($"A stream id must have 1 to {MaxStreamIdLength} characters.", nameof(StreamId));
        }

        if (ExpectedVersion < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ExpectedVersion), ExpectedVersion, "The expected version cannot be negative.");
        }

        if (Events is null || (Events.Count == 0) != (RejectionOutcome is not null))
        {
            throw new ArgumentException("An append needs at least one event, or a rejection outcome and no event.", nameof(Events));
        }

        if (Events.Count > MaxEvents)
        {
            throw new ArgumentException($"An append may carry at most {MaxEvents} events; this one has {Events.Count}.", nameof(Events));
        }

        if (CommandId == Guid.Empty)
        {
            throw new ArgumentException("An append needs a command id.", nameof(CommandId));
        }
    }
}
