namespace OrleansCqrs.Framework.EventStore;

/// <summary>How long a command's outcome is remembered for retries.</summary>
public sealed class CommandOutcomeOptions
{
    /// <summary>
    /// How long a rejected command is remembered: within it, a retry with the same command id gets the same
    /// rejection; after it, the command is decided again. Accepted commands are remembered as long as their events.
    /// </summary>
    public TimeSpan RejectionRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often expired rejections are deleted.</summary>
    public TimeSpan PurgeEvery { get; set; } = TimeSpan.FromHours(1);
}
