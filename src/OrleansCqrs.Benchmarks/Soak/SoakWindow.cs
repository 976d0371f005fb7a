namespace OrleansCqrs.Benchmarks.Soak;

/// <summary>
/// A report window (by default one kill period) summed from its samples: the highest resident memory each silo and
/// the front end reached, rates, percentiles over every call in it, counts, and the kills in it.
/// </summary>
public sealed record SoakWindow(
    int Number,
    double FromSeconds,
    double ToSeconds,
    double?[] SiloRssMaxMb,
    double? FrontEndRssMaxMb,
    double CommandsPerSecond,
    double CommandP50Ms,
    double CommandP99Ms,
    double ReadsPerSecond,
    double ReadP99Ms,
    double SummaryLagP50Ms,
    double SummaryLagP99Ms,
    double LedgerLagP50Ms,
    double LedgerLagP99Ms,
    long Applied,
    long Rejected,
    long Retried,
    long Failed,
    long ReadFailures,
    long StaleReads,
    long LagTimeouts,
    double LongestAckGapSeconds,
    IReadOnlyList<SiloKill> Kills)
{
    /// <summary>The highest resident memory any silo reached in the window.</summary>
    public double? HighestSiloRssMb => SiloRssMaxMb.Max();

    public static SoakWindow From(int number, double from, double to, IReadOnlyList<SoakSample> samples, double sampleSeconds, IEnumerable<SiloKill> kills)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var intervals = samples.Select(s => s.Interval!).ToList();
        var commands = LatencyHistogram.Sum(intervals.Select(i => i.Commands));
        var reads = LatencyHistogram.Sum(intervals.Select(i => i.Reads));
        var summaryLag = LatencyHistogram.Sum(intervals.Select(i => i.SummaryLag));
        var ledgerLag = LatencyHistogram.Sum(intervals.Select(i => i.LedgerLag));
        var seconds = Math.Max(1, samples.Count) * sampleSeconds;
        return new SoakWindow(
            number,
            from,
            to,
            [.. Enumerable.Range(0, LocalClusterScript.Silos).Select(silo => samples.Max(s => s.SiloRssMb[silo]))],
            samples.Max(s => s.FrontEndRssMb),
            commands.Count / seconds,
            commands.Percentile(0.50),
            commands.Percentile(0.99),
            reads.Count / seconds,
            reads.Percentile(0.99),
            summaryLag.Percentile(0.50),
            summaryLag.Percentile(0.99),
            ledgerLag.Percentile(0.50),
            ledgerLag.Percentile(0.99),
            samples.Sum(s => s.Applied),
            samples.Sum(s => s.Rejected),
            samples.Sum(s => s.Retried),
            samples.Sum(s => s.Failed),
            samples.Sum(s => s.ReadFailures),
            samples.Sum(s => s.StaleReads),
            samples.Sum(s => s.LagTimeouts),
            samples.Count == 0 ? 0 : samples.Max(s => s.LongestAckGapSeconds),
            [.. kills]);
    }
}
