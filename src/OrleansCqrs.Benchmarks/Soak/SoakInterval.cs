namespace OrleansCqrs.Benchmarks.Soak;

/// <summary>What the load saw during one sampling period; callers record into it concurrently.</summary>
public sealed class SoakInterval
{
    private long _applied;
    private long _rejected;
    private long _retried;
    private long _failed;
    private long _reads;
    private long _readFailures;
    private long _staleReads;
    private long _lagTimeouts;
    private long _longestAckGapTicks;

    /// <summary>Commands from the first attempt to the acknowledgement, retries included.</summary>
    public LatencyHistogram Commands { get; } = new();

    public LatencyHistogram Reads { get; } = new();

    /// <summary>From a probe deposit's acknowledgement to a plain summary read (no minVersion) that shows it.</summary>
    public LatencyHistogram SummaryLag { get; } = new();

    /// <summary>From the log head's recorded_at to bank totals whose position covers it.</summary>
    public LatencyHistogram LedgerLag { get; } = new();

    public long Applied => Interlocked.Read(ref _applied);

    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Commands acknowledged only after more than one attempt (503 or a lost connection).</summary>
    public long Retried => Interlocked.Read(ref _retried);

    /// <summary>Commands never acknowledged (gave up, or an unexpected status): their outcome is unknown.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    public long ReadCount => Interlocked.Read(ref _reads);

    public long ReadFailures => Interlocked.Read(ref _readFailures);

    /// <summary>minVersion reads answered with X-Read-Stale: true after their wait.</summary>
    public long StaleReads => Interlocked.Read(ref _staleReads);

    /// <summary>Lag probes that did not see their write within the probe deadline.</summary>
    public long LagTimeouts => Interlocked.Read(ref _lagTimeouts);

    /// <summary>The longest time in this period between two consecutive command acknowledgements.</summary>
    public TimeSpan LongestAckGap => TimeSpan.FromTicks(Interlocked.Read(ref _longestAckGapTicks));

    public void Command(double milliseconds, bool applied, int attempts)
    {
        Commands.Record(milliseconds);
        Interlocked.Increment(ref applied ? ref _applied : ref _rejected);
        if (attempts > 1)
        {
            Interlocked.Increment(ref _retried);
        }
    }

    public void CommandFailed() => Interlocked.Increment(ref _failed);

    public void Read(double milliseconds, bool stale)
    {
        Reads.Record(milliseconds);
        Interlocked.Increment(ref _reads);
        if (stale)
        {
            Interlocked.Increment(ref _staleReads);
        }
    }

    public void ReadFailed() => Interlocked.Increment(ref _readFailures);

    public void LagTimedOut() => Interlocked.Increment(ref _lagTimeouts);

    public void AckGap(TimeSpan gap)
    {
        var ticks = gap.Ticks;
        for (var seen = Interlocked.Read(ref _longestAckGapTicks); ticks > seen; seen = Interlocked.Read(ref _longestAckGapTicks))
        {
            if (Interlocked.CompareExchange(ref _longestAckGapTicks, ticks, seen) == seen)
            {
                return;
            }
        }
    }
}
