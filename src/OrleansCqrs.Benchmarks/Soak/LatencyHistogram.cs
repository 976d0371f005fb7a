namespace OrleansCqrs.Benchmarks.Soak;

/// <summary>
/// Latencies in buckets 2% wide (from 10 µs to about an hour): fixed memory however long the soak runs, lock-free
/// recording from every caller, and histograms of 10-second samples add up exactly into a window's percentiles.
/// </summary>
public sealed class LatencyHistogram
{
    private const double SmallestMs = 0.01;
    private const int Buckets = 1000;
    private static readonly double LogGrowth = Math.Log(1.02);
    private readonly long[] _counts = new long[Buckets];

    public void Record(double milliseconds) => Interlocked.Increment(ref _counts[Index(milliseconds)]);

    public long Count => _counts.Sum();

    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < Buckets; i++)
        {
            _counts[i] += Interlocked.Read(ref other._counts[i]);
        }
    }

    /// <summary>The upper bound of the bucket holding the <paramref name="fraction"/> quantile; NaN when empty.</summary>
    public double Percentile(double fraction)
    {
        var total = Count;
        if (total == 0)
        {
            return double.NaN;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(fraction * total));
        var seen = 0L;
        for (var i = 0; i < Buckets; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return SmallestMs * Math.Exp(i * LogGrowth);
            }
        }

        return SmallestMs * Math.Exp((Buckets - 1) * LogGrowth);
    }

    public static LatencyHistogram Sum(IEnumerable<LatencyHistogram> histograms)
    {
        var sum = new LatencyHistogram();
        foreach (var histogram in histograms)
        {
            sum.Add(histogram);
        }

        return sum;
    }

    private static int Index(double milliseconds) =>
        milliseconds <= SmallestMs ? 0 : Math.Min(Buckets - 1, (int)Math.Ceiling(Math.Log(milliseconds / SmallestMs) / LogGrowth));
}
