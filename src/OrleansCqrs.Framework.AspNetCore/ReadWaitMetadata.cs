namespace OrleansCqrs.Framework.AspNetCore;

/// <summary>
/// Endpoint metadata: the read takes <c>waitMs</c>. <see cref="Instance"/>: it waits for a minVersion or minPosition and
/// may answer with X-Read-Stale; <see cref="UntilEnd"/>: it waits on <c>waitMs</c> alone, for its item to reach an end
/// (a process to complete or fail), and an item still under way is a valid answer, not a stale one.
/// </summary>
public sealed class ReadWaitMetadata
{
    private ReadWaitMetadata(bool waitsWithoutMinimum) => WaitsWithoutMinimum = waitsWithoutMinimum;

    public static ReadWaitMetadata Instance { get; } = new(false);

    public static ReadWaitMetadata UntilEnd { get; } = new(true);

    /// <summary>Whether a <c>waitMs</c> above 0 makes the read wait, with no minimum asked for.</summary>
    public bool WaitsWithoutMinimum { get; }
}
