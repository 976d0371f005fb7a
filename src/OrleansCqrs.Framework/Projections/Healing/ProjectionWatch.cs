namespace OrleansCqrs.Framework.Projections.Healing;

/// <summary>What the healer knows of one projection of one stream: the newest version in the log, the newest applied.</summary>
internal sealed class ProjectionWatch
{
    /// <summary>The newest version of the stream the healer has read in the log.</summary>
    public long Expected { get; set; }

    /// <summary>The newest version the projection reported applied (or showed when asked to catch up).</summary>
    public long Applied { get; set; }

    /// <summary>The log position of the oldest event not yet confirmed applied; 0 when everything read is confirmed.</summary>
    public long FirstUnconfirmedPosition { get; set; }

    /// <summary>When to ask the projection to catch up if it has still not confirmed.</summary>
    public DateTimeOffset DueAt { get; set; }

    /// <summary>When the healer read the first event this projection has not confirmed (its lag's start).</summary>
    public DateTimeOffset PendingSince { get; set; }

    /// <summary>Catch-ups asked for since the last confirmation: the retry delay doubles with each.</summary>
    public int Attempts { get; set; }

    public bool CatchingUp { get; set; }

    public DateTimeOffset LastSeen { get; set; }

    public bool IsPending => FirstUnconfirmedPosition != 0;
}
