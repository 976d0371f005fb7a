using System.Globalization;

namespace OrleansCqrs.Benchmarks.Soak;

/// <summary>
/// Shape of the soak (<c>--scenario soak</c>): how long, how often a silo is killed, the load, where results go.
/// Durations are written <c>90s</c>, <c>5m</c> or <c>1h</c>.
/// </summary>
public sealed record SoakOptions(
    TimeSpan Duration,
    TimeSpan KillEvery,
    TimeSpan Window,
    TimeSpan WarmUp,
    TimeSpan SampleEvery,
    TimeSpan Settle,
    int Accounts,
    int Callers,
    int Probes,
    double MemoryTolerance,
    double LatencyTolerance,
    string JsonPath,
    string MarkdownPath,
    bool KeepState)
{
    public static SoakOptions Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? Get(string name)
        {
            var i = Array.IndexOf(args, $"--{name}");
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        int GetInt(string name, int fallback) => Get(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
        double GetDouble(string name, double fallback) => Get(name) is { } value ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;
        TimeSpan GetDuration(string name, TimeSpan fallback) => Get(name) is { } value ? ParseDuration(name, value) : fallback;

        var killEvery = GetDuration("kill-every", TimeSpan.FromMinutes(5));
        var options = new SoakOptions(
            GetDuration("duration", TimeSpan.FromMinutes(30)),
            killEvery,
            GetDuration("window", killEvery),
            GetDuration("warm-up", TimeSpan.FromSeconds(60)),
            GetDuration("sample-every", TimeSpan.FromSeconds(10)),
            GetDuration("settle", TimeSpan.FromSeconds(60)),
            GetInt("accounts", 1000),
            GetInt("callers", 32),
            GetInt("probes", 4),
            GetDouble("memory-tolerance", 0.25),
            GetDouble("latency-tolerance", 0.5),
            Get("json") ?? "soak.json",
            Get("markdown") ?? "soak.md",
            args.Contains("--keep-state"));
        if (options.KillEvery <= TimeSpan.Zero || options.Window <= TimeSpan.Zero || options.SampleEvery <= TimeSpan.Zero
            || options.Duration < options.Window || options.Window < options.SampleEvery)
        {
            throw new ArgumentException("The soak needs --duration >= --window >= --sample-every, all above zero, and --kill-every above zero.");
        }

        if (options.Accounts < 1 || options.Callers < 1 || options.Probes < 0)
        {
            throw new ArgumentException("The soak needs --accounts and --callers of at least 1, and --probes of at least 0.");
        }

        return options;
    }

    public static TimeSpan ParseDuration(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var unit = value[^1];
        if (!double.TryParse(char.IsDigit(unit) ? value : value[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || amount < 0)
        {
            throw new ArgumentException($"--{name} {value}: write a duration as 90s, 5m or 1h.");
        }

        return unit switch
        {
            'h' => TimeSpan.FromHours(amount),
            'm' => TimeSpan.FromMinutes(amount),
            's' => TimeSpan.FromSeconds(amount),
            _ when char.IsDigit(unit) => TimeSpan.FromSeconds(amount),
            _ => throw new ArgumentException($"--{name} {value}: the unit is s, m or h."),
        };
    }

    public static string Usage => """

        soak (--scenario soak; runs alone, ignores --store): scripts/local-cluster.sh's cluster (PostgreSQL, 3 silos, front end
        on 127.0.0.1:5080) under mixed HTTP load, one silo killed with SIGKILL and restarted every --kill-every (rotating)
          --duration 30m --kill-every 5m      measured time, and the kill period (the first kill is half a period in)
          --window D                          length of a report window (default: --kill-every, so each window holds one kill)
          --warm-up 60s --sample-every 10s    load before the measured time (fresh processes JIT); sampling period
          --settle 60s                        steady figures leave out a kill until this long after the silo is ready again
          --accounts 1000 --callers 32        accounts opened; concurrent HTTP callers in the closed loop
          --probes 4                          projection-lag probe accounts (deposit, then poll the plain summary)
          --memory-tolerance 0.25             flat memory: last window <= first x (1 + this) + 32 MB
          --latency-tolerance 0.5             flat p99 and lag: last window <= first x (1 + this) + 20 ms
          --json soak.json --markdown soak.md where the samples, windows and verdicts go
          --keep-state                        keep the cluster's folder (database, logs) afterwards
        """;
}
