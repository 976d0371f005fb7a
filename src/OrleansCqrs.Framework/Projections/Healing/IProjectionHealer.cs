namespace OrleansCqrs.Framework.Projections.Healing;

/// <summary>
/// Re-delivers committed events that projections may have missed because of a failure: it re-checks, from the store,
/// every projection of every stream with an event in the recent window. One per cluster (key 0).
/// </summary>
[Alias("cqrs.IProjectionHealer")]
public interface IProjectionHealer : IGrainWithIntegerKey
{
    /// <summary>Re-checks the projections of every stream written to since the safe position; returns how many.</summary>
    [Alias("heal")]
    Task<int> Heal(string reason);

    /// <summary>Records the log head now, moving the safe position to the head of one window ago.</summary>
    [Alias("sample")]
    Task Sample();
}
