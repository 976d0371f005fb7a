namespace OrleansCqrs.Benchmarks.Soak;

/// <summary>
/// A report window (by default one kill period) summed from its samples: the highest resident memory each silo and
/// the front end reached, rates, percentiles over every call in it, counts, and the kills in it. The steady figures
/// leave out the samples disturbed by a kill (from the kill until <c>settle</c> after the silo was ready again, which
/// covers the restarted silo's JIT warm-up): they show whether the cluster degrades over time, the others include
/// what each failover costs.
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
    double ReadP50Ms,
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
    int SteadySamples,
    double SteadyCommandP99Ms,
    double SteadySummaryLagP99Ms,
    double SteadyLedgerLagP99Ms,
    CpuSplit? Cpu,
    IReadOnlyList<SiloKill> Kills)
{

    /// <summary>The highest resident memory any silo reached in the window.</summary>
    public double? HighestSiloRssMb => SiloRssMaxMb.Max();

    public static SoakWindow From(int number, double from, double to, IReadOnlyList<SoakSample> samples, double sampleSeconds, TimeSpan settle, IReadOnlyList<SiloKill> allKills)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(allKills);
        bool Disturbed(SoakSample sample) => allKills.Any(k =>
            sample.AtSeconds > k.AtSeconds
            && sample.AtSeconds - sampleSeconds < k.AtSeconds + (k.ReadyAfterSeconds ?? double.PositiveInfinity) + settle.TotalSeconds);
        var steady = samples.Where(s => !Disturbed(s)).Select(s => s.Interval!).ToList();
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
            reads.Percentile(0.50),
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
            steady.Count,
            LatencyHistogram.Sum(steady.Select(i => i.Commands)).Percentile(0.99),
            LatencyHistogram.Sum(steady.Select(i => i.SummaryLag)).Percentile(0.99),
            LatencyHistogram.Sum(steady.Select(i => i.LedgerLag)).Percentile(0.99),
            MeanCpu(samples),
            [.. allKills.Where(k => k.AtSeconds >= from && k.AtSeconds < to)]);
    }

    private static CpuSplit? MeanCpu(IReadOnlyList<SoakSample> samples)
    {
        var cpu = samples.Where(s => s.Cpu is not null).Select(s => s.Cpu!).ToList();
        return cpu.Count == 0 ? null : new CpuSplit(cpu.Average(c => c.Cluster), cpu.Average(c => c.Driver), cpu.Average(c => c.Other), cpu.Average(c => c.Idle));
    }
}
