using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>Everything one comparison measured: the machine, every run, the medians per system and the ratios.</summary>
public sealed class ComparisonResults(ComparisonMachine machine, BenchmarkOptions options, IReadOnlyList<ComparedSystem> systems, IReadOnlyList<ComparisonRun> runs)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public ComparisonMachine Machine { get; } = machine;

    public ComparisonWorkload Workload { get; } = ComparisonWorkload.Of(options);

    public IReadOnlyList<ComparisonSummary> Systems { get; } = systems.Select(system => ComparisonSummary.Of(system, runs)).ToArray();

    public IReadOnlyList<ComparisonRatio> Ratios { get; } = ComparisonRatio.Of(runs).ToArray();

    public IReadOnlyList<ComparisonRun> Runs { get; } = runs;

    public bool AnyFailed => Runs.Any(run => !run.Succeeded);

    /// <summary>Writes results.md, runs.json and chart.png into <paramref name="folder"/>.</summary>
    public async Task WriteAsync(string folder)
    {
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, RunsFile), JsonSerializer.Serialize(this, Json));
        ComparisonChart.Save(Systems, Path.Combine(folder, ChartFile));
        await File.WriteAllTextAsync(Path.Combine(folder, "results.md"), Markdown());
    }

    public const string ChartFile = "chart.png";

    public const string RunsFile = "runs.json";

    /// <summary>The table, the ratios and the chart, as docs/benchmarks.md embeds them.</summary>
    public string Markdown()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"Measured {Machine.StartedAt:yyyy-MM-dd HH:mm} UTC at commit `{Machine.Commit}`: {Machine.Cpu}, {Machine.Cores} cores, {Machine.MemoryGiB} GiB, {Machine.Os}, {Machine.Runtime}, PostgreSQL {Machine.PostgreSql}.");
        text.AppendLine(c, $"{Workload.Describe()}");
        text.AppendLine();
        text.AppendLine("| System | What it is | Per second (median) | p50 ms | p99 ms | Runs (per second) | Conflicts retried | Not acknowledged |");
        text.AppendLine("|---|---|---:|---:|---:|---|---:|---:|");
        foreach (var system in Systems)
        {
            var errors = system.Errors.Count == 0 ? "" : $" **failed: {string.Join("; ", system.Errors)}**";
            text.AppendLine(c, $"| {system.System} | {system.Description}{errors} | {(double.IsNaN(system.PerSecond) ? "—" : string.Create(c, $"{system.PerSecond:N0} {system.Unit}"))} | {Figure(system.P50Ms)} | {Figure(system.P99Ms)} | {string.Join(" / ", system.RunsPerSecond.Select(r => r.ToString("N0", c)))} | {system.Conflicts:N0} | {system.Failed:N0} |");
        }

        if (Ratios.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Ratios, each from runs of the same round (median over rounds):");
            text.AppendLine();
            text.AppendLine("| OrleansCqrs ÷ | on PostgreSQL | on SQLite | target (PostgreSQL; in-memory: both) | per round (PostgreSQL) |");
            text.AppendLine("|---|---:|---:|---|---|");
            foreach (var denominator in Ratios.Select(ratio => ratio.Denominator).Distinct())
            {
                var postgres = Ratios.FirstOrDefault(r => r.Numerator == ComparedSystems.OrleansCqrsPostgres && r.Denominator == denominator);
                var sqlite = Ratios.FirstOrDefault(r => r.Numerator == ComparedSystems.OrleansCqrsSqlite && r.Denominator == denominator);
                var targets = new[] { postgres, sqlite }.Where(r => r?.Target is not null).Select(r => string.Create(c, $"≥ {r!.Target:0.0#}: {(r.Met == true ? "met" : "not met")}")).ToArray();
                text.AppendLine(c, $"| {denominator} | {Format(postgres)} | {Format(sqlite)} | {(targets.Length == 0 ? "" : string.Join(" / ", targets))} | {(postgres is null ? "" : string.Join(" / ", postgres.PerRound.Select(r => r.ToString("0.00", c))))} |");
            }
        }

        text.AppendLine();
        text.AppendLine(c, $"![Throughput and p99 per system]({ChartFile})");
        return text.ToString();

        string Format(ComparisonRatio? ratio) => ratio is null ? "" : ratio.Median.ToString("0.00", c);
    }

    /// <summary>A figure as the table shows it: whole numbers from 100 up, one decimal from 1, two significant digits below (a p50 of 0.04 ms is not 0.0).</summary>
    public static string Figure(double value) => value switch
    {
        double.NaN => "",
        >= 100 => value.ToString("N0", CultureInfo.InvariantCulture),
        >= 1 => value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.0##", CultureInfo.InvariantCulture),
    };

    public void Print()
    {
        Console.WriteLine();
        Console.WriteLine(Markdown());
    }
}
