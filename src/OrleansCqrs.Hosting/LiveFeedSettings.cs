using System.ComponentModel.DataAnnotations;

namespace OrleansCqrs.Hosting;

/// <summary>The <c>OrleansCqrs:Live</c> section: how a front end follows the log for <c>GET /api/live</c>.</summary>
public sealed class LiveFeedSettings
{
    /// <summary>
    /// Open live connections this front end serves at once; the next one is answered 503 with Retry-After. Each costs
    /// a connection and a buffer of up to 256 changes.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxListeners { get; set; } = 1_000;

    /// <summary>
    /// Open live connections of one caller (its principal, or its address when anonymous); the next one is answered
    /// 429 with Retry-After, so that one caller cannot take every place of <see cref="MaxListeners"/>.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxListenersPerCaller { get; set; } = 16;

    /// <summary>
    /// Account summaries kept in memory to fold events into (only accounts some listener can match; least recently
    /// changed go first). An account that is not cached costs one read when it next changes.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int CachedAccounts { get; set; } = 100_000;

    /// <summary>Log entries per read. While the feed is behind it reads pages back to back.</summary>
    [Range(1, int.MaxValue)]
    public int PageSize { get; set; } = 5_000;

    /// <summary>How long the feed waits before looking at the log again once it has caught up.</summary>
    [Range(1, 60_000)]
    public int PollMilliseconds { get; set; } = 25;
}
