namespace OrleansCqrs.Benchmarks.Soak;

/// <summary>A command acknowledged with 200: its event is at <paramref name="Version"/> of the account's stream and
/// moved <paramref name="Cents"/> (negative for a withdrawal).</summary>
public readonly record struct AcknowledgedCommand(long Version, long Cents);
