namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>One system over every round: medians of its runs' rates and latencies, and what went wrong.</summary>
public sealed record ComparisonSummary(
    string System, string Unit, string Description, double PerSecond, double P50Ms, double P99Ms, IReadOnlyList<double> RunsPerSecond,
    long Conflicts, long Failed, IReadOnlyList<string> Errors)
{
    public static ComparisonSummary Of(ComparedSystem system, IEnumerable<ComparisonRun> runs)
    {
        ArgumentNullException.ThrowIfNull(system);
        var mine = runs.Where(run => run.System == system.Name).ToArray();
        var measured = mine.Where(run => run.Succeeded).ToArray();
        return new ComparisonSummary(
            system.Name,
            system.Unit,
            system.Description,
            BenchmarkReport.Median(measured.Select(run => run.PerSecond)),
            BenchmarkReport.Median(measured.Select(run => run.P50Ms)),
            BenchmarkReport.Median(measured.Select(run => run.P99Ms)),
            measured.Select(run => run.PerSecond).ToArray(),
            mine.Sum(run => run.Conflicts),
            mine.Sum(run => run.Failed),
            mine.Where(run => !run.Succeeded).Select(run => $"round {run.Round}: {run.Error}").ToArray());
    }
}
