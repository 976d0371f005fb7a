namespace OrleansCqrs.Framework.Aggregates;

/// <summary>
/// The outcome of a command: accepted with the stream version and global position of its last event, or rejected.
/// <paramref name="Replayed"/> says an earlier run of the same command was found and nothing new was written; its
/// outcome, accepted or rejected, is the one returned. A rejection's <paramref name="Version"/> is the stream version it
/// was decided at.
/// </summary>
[GenerateSerializer, Immutable, Alias("cqrs.command-result.v1")]
public sealed record CommandResult(
    [property: Id(0)] long Version,
    [property: Id(1)] long Position,
    [property: Id(2)] Rejection? Rejection = null,
    [property: Id(3)] bool Replayed = false)
{
    public bool IsAccepted => Rejection is null;

    public static CommandResult Accepted(long version, long position, bool replayed = false) => new(version, position, null, replayed);

    public static CommandResult Rejected(Rejection rejection, long version, bool replayed = false) => new(version, 0, rejection, replayed);
}
