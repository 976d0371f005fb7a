using System.Diagnostics;
using System.Text;
using System.Text.Json;
using OrleansCqrs.Benchmarks.Compare;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Benchmarks.Tests;

/// <summary>
/// The comparison suite is too long for CI, so CI runs it the way docs/benchmarks.md does, with every system for a
/// second: each must start, load, be measured, pass its balance check and land in the results, or the suite has rotted.
/// </summary>
public sealed class ComparisonSmokeTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task Every_system_runs_for_a_second_and_lands_in_the_table_the_json_and_the_chart()
    {
        var folder = Directory.CreateTempSubdirectory("orleanscqrs-compare-smoke-").FullName;
        // --publish-docs writes into the repository it runs in: here a stand-in with the page's markers.
        var repository = Directory.CreateTempSubdirectory("orleanscqrs-compare-repo-").FullName;
        Directory.CreateDirectory(Path.Combine(repository, "docs", "images"));
        await File.WriteAllTextAsync(Path.Combine(repository, "OrleansCqrs.sln"), "");
        var page = Path.Combine(repository, "docs", "benchmarks.md");
        await File.WriteAllTextAsync(page, $"# Benchmarks\n\n{ComparisonDocs.Begin}\nthe previous table\n{ComparisonDocs.End}\n\nwhat follows\n");
        try
        {
            var (exitCode, output) = await RunBenchmarkAsync(
                repository,
                "--scenario", "compare", "--runs", "1", "--seconds", "1", "--warm-up", "1", "--cluster-warm-up", "1",
                "--accounts", "100", "--callers", "8", "--http-callers", "4", "--insert-connections", "2", "--batch-connections", "2", "--batch-rows", "16",
                "--out", folder, "--publish-docs");

            Assert.True(exitCode == 0, $"The comparison exited with {exitCode}:\n{output}");
            var names = ComparedSystems.All.Select(system => system.Name).ToArray();
            Assert.Contains($"[compare] round 1/1, {names.Length}/{names.Length}:", output, StringComparison.Ordinal);

            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "runs.json")));
            var runs = json.RootElement.GetProperty("runs").EnumerateArray().ToArray();
            Assert.Equal(names.Order(StringComparer.Ordinal), runs.Select(run => run.GetProperty("system").GetString()!).Order(StringComparer.Ordinal));
            foreach (var run in runs)
            {
                var system = run.GetProperty("system").GetString();
                Assert.True(run.GetProperty("error").ValueKind == JsonValueKind.Null, $"{system}: {run.GetProperty("error")}");
                Assert.True(run.GetProperty("perSecond").GetDouble() > 0, $"{system} measured nothing.");
                Assert.True(run.GetProperty("p99Ms").GetDouble() > 0, $"{system} has no latency.");
            }

            var ratios = json.RootElement.GetProperty("ratios").EnumerateArray()
                .Select(ratio => $"{ratio.GetProperty("numerator").GetString()}/{ratio.GetProperty("denominator").GetString()}")
                .ToHashSet(StringComparer.Ordinal);
            foreach (var baseline in ComparedSystems.Baselines)
            {
                Assert.Contains($"{ComparedSystems.OrleansCqrsPostgres}/{baseline}", ratios);
                Assert.Contains($"{ComparedSystems.OrleansCqrsSqlite}/{baseline}", ratios);
            }

            var table = await File.ReadAllTextAsync(Path.Combine(folder, "results.md"));
            Assert.All(names, name => Assert.Contains($"| {name} |", table, StringComparison.Ordinal));
            Assert.Contains($"]({ComparisonResults.ChartFile})", table, StringComparison.Ordinal);
            var chart = await File.ReadAllBytesAsync(Path.Combine(folder, ComparisonResults.ChartFile));
            Assert.True(chart.Length > 10_000 && chart.AsSpan(1, 3).SequenceEqual("PNG"u8), "chart.png is not a drawn PNG.");

            var published = await File.ReadAllTextAsync(page);
            Assert.DoesNotContain("the previous table", published, StringComparison.Ordinal);
            Assert.All(names, name => Assert.Contains($"| {name} |", published, StringComparison.Ordinal));
            Assert.EndsWith($"{ComparisonDocs.End}\n\nwhat follows\n", published, StringComparison.Ordinal);
            Assert.Contains("](images/benchmarks-compare.png)", published, StringComparison.Ordinal);
            Assert.Equal(chart, await File.ReadAllBytesAsync(Path.Combine(repository, "docs", "images", "benchmarks-compare.png")));
            Assert.Equal(
                await File.ReadAllTextAsync(Path.Combine(folder, ComparisonResults.RunsFile)),
                await File.ReadAllTextAsync(Path.Combine(repository, "docs", "benchmarks-compare.json")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
            Directory.Delete(repository, recursive: true);
        }
    }

    [Fact]
    public async Task An_unknown_system_is_refused_in_one_line_naming_the_known_ones_before_anything_starts()
    {
        var (exitCode, output) = await RunBenchmarkAsync(Path.GetTempPath(), "--scenario", "compare", "--systems", "orleanscqrs-postgres,marten-nope");

        Assert.Equal(2, exitCode);
        Assert.Contains("--systems names marten-nope; known: orleanscqrs-postgres,", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain("[compare]", output, StringComparison.Ordinal);
    }

    /// <summary>Runs the benchmark's build output as the README's command would, killed with its children at the deadline.</summary>
    private static async Task<(int ExitCode, string Output)> RunBenchmarkAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(LocalCluster.ProgramPath("OrleansCqrs.Benchmarks"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var reading = Task.WhenAll(CopyAsync(process.StandardOutput), CopyAsync(process.StandardError));
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            await reading;
            Assert.Fail($"The comparison did not finish within {Deadline.TotalMinutes:0} minutes:\n{output}");
        }

        await reading;
        return (process.ExitCode, output.ToString());

        async Task CopyAsync(StreamReader reader)
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        }
    }
}
