namespace OrleansCqrs.Framework.EventStore;

/// <summary>
/// The stream version and global position of an append's last event. <paramref name="IsDuplicate"/> says the command
/// had been applied before and nothing was written; the figures and fingerprint are then the original's.
/// <paramref name="RejectionOutcome"/> is set when the command's outcome is a rejection (recorded by this request, or
/// found from an earlier one): <paramref name="Version"/> is then the stream version it was decided at and
/// <paramref name="Position"/> is 0.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AppendResult(
    [property: Id(0)] long Version,
    [property: Id(1)] long Position,
    [property: Id(2)] bool IsDuplicate = false,
    [property: Id(3)] string? CommandFingerprint = null,
    [property: Id(4)] string? RejectionOutcome = null);
