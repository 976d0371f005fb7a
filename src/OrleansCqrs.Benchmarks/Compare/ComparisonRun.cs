namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>
/// One system measured once: its rate (commands, or rows for the database's own limits) and a client's latencies
/// over the measured window, or the error that stopped it.
/// </summary>
public sealed record ComparisonRun(
    int Round, string System, string Unit, DateTimeOffset StartedAt, double PerSecond, double P50Ms, double P95Ms, double P99Ms, double MaxMs,
    long Conflicts, long Failed, string? Error)
{
    public bool Succeeded => Error is null;
}
