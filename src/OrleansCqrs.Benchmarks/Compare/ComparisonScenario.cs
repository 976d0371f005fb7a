using System.Globalization;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>
/// The side-by-side comparison (<c>--scenario compare</c>): every selected system measured once per round on one
/// PostgreSQL server, the order reversed every other round so that drift of the shared machine weighs on all alike;
/// then the table, the ratios of runs from the same round, runs.json and the chart in a results folder.
/// </summary>
public static class ComparisonScenario
{
    public static async Task<int> RunAsync(BenchmarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var systems = ComparedSystems.Select(options.Systems);
        var folder = Path.GetFullPath(options.OutDirectory ?? Path.Combine("benchmark-results", string.Create(CultureInfo.InvariantCulture, $"compare-{DateTime.UtcNow:yyyyMMdd-HHmmss}")));
        await using var server = await PostgresServer.StartAsync();
        var database = await server.CreateDatabaseAsync("compare");
        // The tables OrleansCqrs, the JournaledGrain's ADO.NET storage and the INSERT baselines need, before any is measured.
        await OrleansCqrsTarget.MigratePostgresAsync(database);
        var machine = await ComparisonMachine.DescribeAsync(database);
        Console.WriteLine($"[compare] {systems.Count} systems x {options.Runs} round(s) on PostgreSQL {machine.PostgreSql}; results go to {folder}");
        var runs = new List<ComparisonRun>();
        for (var round = 1; round <= options.Runs; round++)
        {
            var shared = new ComparisonRound(round, options, server, database, TimeSpan.FromSeconds(options.WarmUp), TimeSpan.FromSeconds(options.Seconds));
            var order = round % 2 == 1 ? systems : systems.Reverse().ToArray();
            for (var i = 0; i < order.Count; i++)
            {
                var system = order[i];
                Console.WriteLine($"[compare] round {round}/{options.Runs}, {i + 1}/{order.Count}: {system.Name}: {system.Description}");
                var run = await MeasureAsync(system, shared);
                runs.Add(run);
                Console.WriteLine(run.Succeeded
                    ? string.Create(CultureInfo.InvariantCulture, $"[compare]   {system.Name}: {run.PerSecond:N0} {system.Unit}/s, p50 {ComparisonResults.Figure(run.P50Ms)} ms, p99 {ComparisonResults.Figure(run.P99Ms)} ms, {run.Conflicts:N0} conflicts retried, {run.Failed:N0} not acknowledged")
                    : $"[compare]   {system.Name} FAILED: {run.Error}");
            }
        }

        var results = new ComparisonResults(machine, options, systems, runs);
        results.Print();
        await results.WriteAsync(folder);
        Console.WriteLine($"[compare] results: {Path.Combine(folder, "results.md")}, runs.json, {ComparisonResults.ChartFile}");
        if (options.PublishDocs && !results.AnyFailed)
        {
            await ComparisonDocs.PublishAsync(results, folder);
        }

        return results.AnyFailed ? 1 : 0;
    }

    /// <summary>One system, once; an error is recorded against it and the comparison goes on with the others.</summary>
    private static async Task<ComparisonRun> MeasureAsync(ComparedSystem system, ComparisonRound round)
    {
        var started = DateTimeOffset.UtcNow;
        try
        {
            var (result, conflicts, failed) = await system.MeasureAsync(round);
            var latency = result.Latency!;
            return new ComparisonRun(round.Round, system.Name, system.Unit, started, result.PerSecond, latency.P50Ms, latency.P95Ms, latency.P99Ms, latency.MaxMs, conflicts, failed, null);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new ComparisonRun(round.Round, system.Name, system.Unit, started, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 0, 0, $"{ex.GetType().Name}: {ex.Message}");
        }
    }
}
