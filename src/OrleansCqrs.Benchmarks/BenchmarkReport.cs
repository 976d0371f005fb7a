using System.Globalization;

namespace OrleansCqrs.Benchmarks;

/// <summary>Every figure of a benchmark run, per run and as medians.</summary>
public sealed class BenchmarkReport(int processors, DateTimeOffset startedAt)
{
    public int Processors { get; } = processors;

    public DateTimeOffset StartedAt { get; } = startedAt;

    public Dictionary<string, List<ThroughputResult>> Throughput { get; } = [];

    public Dictionary<string, List<double>> Ratios { get; } = [];

    public Dictionary<string, ActivationResult> Activations { get; } = [];

    /// <summary>Where the CPU went in each run's measured window, in cores by role (see <see cref="ProcessCpu"/>).</summary>
    public Dictionary<string, List<CpuUse>> Cpu { get; } = [];

    public void Add(string name, int run, ThroughputResult result)
    {
        if (!Throughput.TryGetValue(name, out var runs))
        {
            Throughput[name] = runs = [];
        }

        runs.Add(result);
    }

    public void AddRatio(string name, int run, double ratio)
    {
        if (!Ratios.TryGetValue(name, out var runs))
        {
            Ratios[name] = runs = [];
        }

        runs.Add(ratio);
    }

    public void AddCpu(string name, CpuUse use)
    {
        if (!Cpu.TryGetValue(name, out var runs))
        {
            Cpu[name] = runs = [];
        }

        runs.Add(use);
    }

    public void Print()
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine($"Medians over runs ({Processors} cores):");
        Console.WriteLine($"{"scenario",-28} {"per second",12} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8}  runs");
        foreach (var (name, runs) in Throughput)
        {
            var perSecond = Median(runs.Select(r => r.PerSecond));
            var p50 = Median(runs.Select(r => r.Latency!.P50Ms));
            var p95 = Median(runs.Select(r => r.Latency!.P95Ms));
            var p99 = Median(runs.Select(r => r.Latency!.P99Ms));
            Console.WriteLine(string.Create(c, $"{name,-28} {perSecond,12:N0} {p50,8:0.0} {p95,8:0.0} {p99,8:0.0}  {string.Join(" / ", runs.Select(r => r.PerSecond.ToString("N0", c)))}"));
        }

        foreach (var (name, runs) in Ratios)
        {
            Console.WriteLine(string.Create(c, $"{name,-28} {Median(runs),12:#,0.00}  runs: {string.Join(" / ", runs.Select(r => r.ToString("#,0.00", c)))}"));
        }

        foreach (var (store, activation) in Activations)
        {
            Console.WriteLine(string.Create(c, $"{store}.activation: {activation.Events:N0} events, full replay {activation.FullReplayMs:N0} ms, from snapshot {activation.FromSnapshotMedianMs:0.0} ms (median of 9)"));
        }

        if (Cpu.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("CPU in the measured window, cores (medians over runs):");
            Console.WriteLine($"{"scenario",-28} {string.Join(" ", ProcessCpu.Roles.Select(r => $"{r,9}"))}");
            foreach (var (name, runs) in Cpu)
            {
                Console.WriteLine(string.Create(c, $"{name,-28} {string.Join(" ", ProcessCpu.Roles.Select(r => $"{Median(runs.Select(u => u.Cores[r])),9:0.00}"))}"));
            }
        }
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }
}
