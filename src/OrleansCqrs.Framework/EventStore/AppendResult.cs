namespace OrleansCqrs.Framework.EventStore;

/// <summary>
/// The stream version and global position of an append's last event. <paramref name="IsDuplicate"/> says the command
/// had been applied before and nothing was written; the figures and fingerprint are then the original's.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AppendResult(
    [property: Id(0)] long Version,
    [property: Id(1)] long Position,
    [property: Id(2)] bool IsDuplicate = false,
    [property: Id(3)] string? CommandFingerprint = null);
