using System.Text.Json.Serialization;

namespace OrleansCqrs.Benchmarks.Soak;

/// <summary>
/// One sampling period (about 10 s), ending <paramref name="AtSeconds"/> into the measured time: resident memory of
/// each silo (null while it is down), the front end and this driver at its end; what the load saw during it; where
/// the machine's CPU went.
/// </summary>
public sealed record SoakSample(
    double AtSeconds,
    double?[] SiloRssMb,
    double? FrontEndRssMb,
    double? DriverRssMb,
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
    CpuSplit? Cpu)
{
    /// <summary>The period's histograms, summed into windows.</summary>
    [JsonIgnore]
    public SoakInterval? Interval { get; init; }

    public static SoakSample From(double atSeconds, double seconds, SoakInterval interval, double?[] silos, double? frontEnd, double? driver, CpuSplit? cpu)
    {
        ArgumentNullException.ThrowIfNull(interval);
        return new SoakSample(
            atSeconds,
            silos,
            frontEnd,
            driver,
            interval.Commands.Count / seconds,
            interval.Commands.Percentile(0.50),
            interval.Commands.Percentile(0.99),
            interval.Reads.Count / seconds,
            interval.Reads.Percentile(0.50),
            interval.Reads.Percentile(0.99),
            interval.SummaryLag.Percentile(0.50),
            interval.SummaryLag.Percentile(0.99),
            interval.LedgerLag.Percentile(0.50),
            interval.LedgerLag.Percentile(0.99),
            interval.Applied,
            interval.Rejected,
            interval.Retried,
            interval.Failed,
            interval.ReadFailures,
            interval.StaleReads,
            interval.LagTimeouts,
            interval.LongestAckGap.TotalSeconds,
            cpu)
        {
            Interval = interval,
        };
    }
}
