namespace OrleansCqrs.Framework.Projections;

public sealed class ProjectionOptions
{
    /// <summary>Write-behind: the state and checkpoint are persisted after this many applied events...</summary>
    public int PersistEvery { get; set; } = 100;

    /// <summary>...or at the latest this long after the first unsaved one (and always at deactivation).</summary>
    public TimeSpan PersistAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Events read per round trip when a projection fills a gap or catches up from the store.</summary>
    public int ReadPageSize { get; set; } = 1000;

    /// <summary>How often an active projection of the global log reads what was committed since its last read.</summary>
    public TimeSpan LogPollInterval { get; set; } = TimeSpan.FromMilliseconds(100);
}
