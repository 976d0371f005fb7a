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

        if (Events is null || Events.Count == 0)
        {
            throw new ArgumentException("An append needs at least one event.", nameof(Events));
        }

        if (CommandId == Guid.Empty)
        {
            throw new ArgumentException("An append needs a command id.", nameof(CommandId));
        }
    }
}
