namespace OrleansCqrs.Framework.EventStore;

/// <summary>
/// A store that forgets rejected commands after a while. Accepted commands are remembered as long as their events
/// (their command id is on the append's last event); rejections write no event and would otherwise pile up.
/// </summary>
public interface ICommandOutcomeRetention
{
    /// <summary>Forgets rejections recorded before <paramref name="recordedBefore"/>; returns how many.</summary>
    Task<int> PurgeRejectionsAsync(DateTimeOffset recordedBefore, CancellationToken cancellationToken = default);
}
