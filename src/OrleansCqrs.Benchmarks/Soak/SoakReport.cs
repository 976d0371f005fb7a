using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansCqrs.Benchmarks.Soak;

/// <summary>Everything a soak measured, its verdicts and its audit; printed as markdown and written as JSON.</summary>
public sealed record SoakReport(
    DateTimeOffset StartedAt,
    int Processors,
    SoakOptions Options,
    double MeasuredSeconds,
    IReadOnlyList<SoakSample> Samples,
    IReadOnlyList<SoakWindow> Windows,
    IReadOnlyList<SiloKill> Kills,
    IReadOnlyList<FlatnessVerdict> Verdicts,
    AuditResult? Audit,
    IReadOnlyList<string> Notes,
    int NoteCount,
    string? Error)
{
    /// <summary>Floors of <see cref="FlatnessVerdict"/>: 32 MB of memory, 20 ms of latency or lag.</summary>
    public const double MemoryFloorMb = 32;
    public const double LatencyFloorMs = 20;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private const string WithFailovers = "with failovers";

    /// <summary>Memory, and p99 and lag in the steady samples, did not grow from the first window to the last.</summary>
    public bool Flat => Verdicts.Count > 0 && Verdicts.Where(v => !v.Figure.Contains(WithFailovers, StringComparison.Ordinal)).All(v => v.Flat);

    /// <summary>The same for p99 and lag over every sample, the failovers' included.</summary>
    public bool FlatWithFailovers => Verdicts.Count > 0 && Verdicts.All(v => v.Flat);

    public static IReadOnlyList<FlatnessVerdict> Judge(IReadOnlyList<SoakWindow> windows, SoakOptions options)
    {
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(options);
        if (windows.Count < 2)
        {
            return [];
        }

        var (first, last) = (windows[0], windows[^1]);
        return
        [
            FlatnessVerdict.Of("highest silo RSS, MB", first.HighestSiloRssMb, last.HighestSiloRssMb, options.MemoryTolerance, MemoryFloorMb),
            FlatnessVerdict.Of("front-end RSS, MB", first.FrontEndRssMaxMb, last.FrontEndRssMaxMb, options.MemoryTolerance, MemoryFloorMb),
            FlatnessVerdict.Of("command p99, ms, steady", first.SteadyCommandP99Ms, last.SteadyCommandP99Ms, options.LatencyTolerance, LatencyFloorMs),
            FlatnessVerdict.Of("summary lag p99, ms, steady", first.SteadySummaryLagP99Ms, last.SteadySummaryLagP99Ms, options.LatencyTolerance, LatencyFloorMs),
            FlatnessVerdict.Of("ledger lag p99, ms, steady", first.SteadyLedgerLagP99Ms, last.SteadyLedgerLagP99Ms, options.LatencyTolerance, LatencyFloorMs),
            FlatnessVerdict.Of($"command p99, ms, {WithFailovers}", first.CommandP99Ms, last.CommandP99Ms, options.LatencyTolerance, LatencyFloorMs),
            FlatnessVerdict.Of($"summary lag p99, ms, {WithFailovers}", first.SummaryLagP99Ms, last.SummaryLagP99Ms, options.LatencyTolerance, LatencyFloorMs),
            FlatnessVerdict.Of($"ledger lag p99, ms, {WithFailovers}", first.LedgerLagP99Ms, last.LedgerLagP99Ms, options.LatencyTolerance, LatencyFloorMs),
        ];
    }

    public async Task WriteAsync()
    {
        await File.WriteAllTextAsync(Options.JsonPath, JsonSerializer.Serialize(this, Json));
        await File.WriteAllTextAsync(Options.MarkdownPath, Markdown());
    }

    public string Markdown()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        string Ms(double value) => double.IsNaN(value) ? "–" : value.ToString(value < 10 ? "0.0" : "0", c);
        string Mb(double? value) => value is { } mb ? mb.ToString("0", c) : "–";
        string Span(TimeSpan span) => span.TotalMinutes >= 1 && span.Seconds == 0 ? $"{span.TotalMinutes:0} min" : $"{span.TotalSeconds:0} s";
        void Line(string line) => text.Append(line).Append('\n');

        Line(string.Create(c, $"Soak started {StartedAt:yyyy-MM-dd HH:mm} UTC on {Processors} cores: {Span(TimeSpan.FromSeconds(MeasuredSeconds))} measured (after {Span(Options.WarmUp)} of warm-up), one silo killed with SIGKILL and restarted every {Span(Options.KillEvery)}; {Options.Callers} callers on {Options.Accounts} accounts, {Options.Probes} lag probes; samples every {Span(Options.SampleEvery)}."));
        if (Error is not null)
        {
            Line("");
            Line($"**Stopped early:** {Error}");
        }

        Line("");
        Line("| window | silo RSS max, MB (1 / 2 / 3) | front end RSS, MB | commands/s | p50 ms | p99 ms | steady p99 ms | reads/s | read p50 / p99 ms | summary lag p50 / p99 ms | steady summary lag p99 ms | ledger lag p50 / p99 ms | steady ledger lag p99 ms | retried | failed commands / reads / lag probes | longest without an ack | CPU cores: cluster / driver / others / idle | kills (silo: ready after) |");
        Line("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var w in Windows)
        {
            var kills = w.Kills.Count == 0 ? "–" : string.Join(", ", w.Kills.Select(k => k.ReadyAfterSeconds is { } ready ? string.Create(c, $"{k.Silo}: {ready:0.0} s") : $"{k.Silo}: not ready"));
            Line(string.Create(c, $"| {w.FromSeconds / 60:0.#}–{w.ToSeconds / 60:0.#} min | {string.Join(" / ", w.SiloRssMaxMb.Select(Mb))} | {Mb(w.FrontEndRssMaxMb)} | {w.CommandsPerSecond:N0} | {Ms(w.CommandP50Ms)} | {Ms(w.CommandP99Ms)} | {Ms(w.SteadyCommandP99Ms)} | {w.ReadsPerSecond:N0} | {Ms(w.ReadP50Ms)} / {Ms(w.ReadP99Ms)} | {Ms(w.SummaryLagP50Ms)} / {Ms(w.SummaryLagP99Ms)} | {Ms(w.SteadySummaryLagP99Ms)} | {Ms(w.LedgerLagP50Ms)} / {Ms(w.LedgerLagP99Ms)} | {Ms(w.SteadyLedgerLagP99Ms)} | {w.Retried:N0} | {w.Failed:N0} / {w.ReadFailures:N0} / {w.LagTimeouts:N0} | {w.LongestAckGapSeconds:0.0} s | {(w.Cpu is { } cpu ? string.Create(c, $"{cpu.Cluster:0.00} / {cpu.Driver:0.00} / {cpu.Other:0.00} / {cpu.Idle:0.00}") : "–")} | {kills} |"));
        }

        Line("");
        if (Verdicts.Count == 0)
        {
            Line("Flatness: not judged (fewer than two windows).");
        }
        else
        {
            Line(string.Create(c, $"Flatness, last window against the first: flat when last <= first x {1 + Options.MemoryTolerance:0.##} + {MemoryFloorMb:0} MB (memory), <= first x {1 + Options.LatencyTolerance:0.##} + {LatencyFloorMs:0} ms (p99, lag). Steady: without the samples from a kill until {Options.Settle.TotalSeconds:0} s after the silo was ready again."));
            Line("");
            Line("| figure | first window | last window | limit | flat |");
            Line("| --- | --- | --- | --- | --- |");
            foreach (var v in Verdicts)
            {
                Line(string.Create(c, $"| {v.Figure} | {v.First:0.0} | {v.Last:0.0} | {v.Limit:0.0} | {(v.Flat ? "yes" : "**no**")} |"));
            }

            Line("");
            Line($"Memory and steady p99 and lag: **{(Flat ? "flat" : "not flat")}**. Including the failovers: **{(FlatWithFailovers ? "flat" : "not flat")}**.");
        }

        Line("");
        if (Audit is { } audit)
        {
            Line(string.Create(c, $"Audit of the log ({audit.Events:N0} events, {audit.Accounts:N0} accounts): {audit.Applied:N0} commands applied and {audit.Rejected:N0} rejected as acknowledged, {audit.Unknown:N0} never answered ({audit.UnknownLanded:N0} of them in the log); money in the log {audit.LogBalance:N2}, by the acknowledgements {audit.AcknowledgedBalance:N2}."));
            Line(audit.Problems.Count == 0
                ? "No acknowledged write lost, nothing applied twice or unacknowledged, versions gapless, no balance below zero, money conserved."
                : $"**Log audit failed:**\n{string.Join('\n', audit.Problems.Select(p => $"- {p}"))}");
            Line(audit.ReadModelDifferences.Count == 0
                ? string.Create(c, $"Read models (every summary, bank totals) equal the log {audit.ReadModelsAgreedAfterSeconds:0.0} s after the load stopped.")
                : $"**Read models still differ from the log {ReadModelComparison.Deadline.TotalSeconds:0} s after the load:**\n{string.Join('\n', audit.ReadModelDifferences.Select(d => $"- {d}"))}");
        }
        else
        {
            Line("No audit (the soak stopped before it).");
        }

        if (NoteCount > 0)
        {
            Line("");
            Line($"{NoteCount} failures or timeouts noted; the first {Notes.Count}:");
            foreach (var note in Notes)
            {
                Line($"- {note}");
            }
        }

        return text.ToString();
    }
}
