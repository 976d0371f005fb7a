namespace OrleansCqrs.Framework.Projections;

public sealed class ProjectionOptions
{
    /// <summary>
    /// Write-behind: the state and checkpoint are persisted after this many applied events... A saved state only
    /// shortens the catch-up after a crash (the store has every event), so it is saved rarely: with one projection
    /// per account, saving each every second was tens of thousands of storage writes a second.
    /// </summary>
    public int PersistEvery { get; set; } = 500;

    /// <summary>...or at the latest this long after the first unsaved one (and always at deactivation).</summary>
    public TimeSpan PersistAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Events read per round trip when a projection fills a gap or catches up from the store.</summary>
    public int ReadPageSize { get; set; } = 1000;

    /// <summary>How often an active projection of the global log reads what was committed since its last read.</summary>
    public TimeSpan LogPollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often an active log projection that is stuck on an event tries that event again.</summary>
    public TimeSpan StuckRetryInterval { get; set; } = TimeSpan.FromSeconds(5);
}
