namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>
/// OrleansCqrs's rate over another system's, from runs of the same round (moments apart on the same machine), and
/// the median of those per-round ratios. <see cref="Target"/> is the minimum, where there is one.
/// </summary>
public sealed record ComparisonRatio(string Numerator, string Denominator, IReadOnlyList<double> PerRound, double Median, double? Target)
{
    public bool? Met => Target is { } target && !double.IsNaN(Median) ? Median >= target : null;

    /// <summary>The minimums the issue sets: 10× Marten's recommended path, 5× its fastest, 0.6× in-memory Orleans.</summary>
    public static double? TargetOf(string numerator, string denominator) => (numerator, denominator) switch
    {
        (ComparedSystems.OrleansCqrsPostgres, ComparedSystems.MartenFetchForWriting) => 10,
        (ComparedSystems.OrleansCqrsPostgres, ComparedSystems.MartenQuickAppend) => 5,
        (ComparedSystems.OrleansCqrsPostgres or ComparedSystems.OrleansCqrsSqlite, ComparedSystems.InMemoryOrleans) => 0.6,
        _ => null,
    };

    public static IEnumerable<ComparisonRatio> Of(IReadOnlyList<ComparisonRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        foreach (var numerator in (string[])[ComparedSystems.OrleansCqrsPostgres, ComparedSystems.OrleansCqrsSqlite])
        {
            foreach (var denominator in ComparedSystems.Baselines)
            {
                var perRound = runs.Where(run => run.System == numerator && run.Succeeded)
                    .Join(runs.Where(run => run.System == denominator && run.Succeeded && run.PerSecond > 0), run => run.Round, run => run.Round, (top, bottom) => top.PerSecond / bottom.PerSecond)
                    .ToArray();
                if (perRound.Length > 0)
                {
                    yield return new ComparisonRatio(numerator, denominator, perRound, BenchmarkReport.Median(perRound), TargetOf(numerator, denominator));
                }
            }
        }
    }
}
