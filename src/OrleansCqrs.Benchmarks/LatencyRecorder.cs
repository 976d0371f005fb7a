using System.Diagnostics;

namespace OrleansCqrs.Benchmarks;

/// <summary>Latencies of one worker, merged into percentiles at the end (no locking on the hot path).</summary>
public sealed class LatencyRecorder
{
    private readonly List<long> _ticks = new(1 << 16);

    public void Record(long startTimestamp) => _ticks.Add(Stopwatch.GetTimestamp() - startTimestamp);

    public void Record(long startTimestamp, long endTimestamp) => _ticks.Add(endTimestamp - startTimestamp);

    public int Count => _ticks.Count;

    public static LatencySummary Summarize(IEnumerable<LatencyRecorder> recorders)
    {
        var all = recorders.SelectMany(r => r._ticks).ToArray();
        Array.Sort(all);
        double Ms(double p) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)(p * all.Length))] * 1000.0 / Stopwatch.Frequency;
        return new LatencySummary(all.Length, Ms(0.50), Ms(0.95), Ms(0.99), Ms(1.0 - 1e-9));
    }
}

public sealed record LatencySummary(int Count, double P50Ms, double P95Ms, double P99Ms, double MaxMs);
