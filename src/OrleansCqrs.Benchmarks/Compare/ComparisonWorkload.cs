using System.Globalization;

namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>The load every system got, as the results state it.</summary>
public sealed record ComparisonWorkload(int Rounds, int Accounts, int Callers, int HttpCallers, int WarmUpSeconds, int ClusterWarmUpSeconds, int MeasuredSeconds, int InsertConnections, int BatchConnections, int BatchRows)
{
    public static ComparisonWorkload Of(BenchmarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.Runs, options.Accounts, options.Callers, options.HttpCallers, options.WarmUp, options.ClusterWarmUp, options.Seconds, options.InsertConnections, options.BatchConnections, options.BatchRows);
    }

    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Rounds} round(s), each system once per round (order reversed every other round), {WarmUpSeconds} s warm-up (cluster {ClusterWarmUpSeconds} s) then {MeasuredSeconds} s measured. "
        + $"Commands: deposits of 1.25 into random accounts out of {Accounts:N0} opened first, {Callers} closed-loop callers in process ({HttpCallers} over HTTP), "
        + $"each acknowledged after its commit. Database limits: {InsertConnections} connections of single-row INSERTs; {BatchConnections} connections of {BatchRows}-row INSERTs.");
}
