using System.Diagnostics;
using System.Globalization;

namespace OrleansCqrs.Benchmarks;

/// <summary>
/// Where the machine's CPU went during a window, in cores, by role: the silo and front-end processes this driver
/// started, the PostgreSQL server it started (postmaster on its port and the postmaster's children), this driver,
/// everything else (other people's work on a shared machine), and what stayed idle. Read from Linux /proc (utime +
/// stime of every process, and the machine's idle time); elsewhere nothing is measured.
/// </summary>
public static class ProcessCpu
{
    /// <summary>Linux reports process times in USER_HZ, which is 100 on every platform .NET runs on.</summary>
    private const double TicksPerSecond = 100;

    public const string Silos = "silos";
    public const string FrontEnds = "front end";
    public const string Postgres = "postgres";
    public const string Driver = "driver";
    public const string Other = "other";
    public const string Idle = "idle";

    public static readonly string[] Roles = [Silos, FrontEnds, Postgres, Driver, Other, Idle];

    /// <summary>Waits <paramref name="delay"/>, then measures a window of <paramref name="window"/>; null off Linux.</summary>
    public static async Task<CpuUse?> MeasureAsync(TimeSpan delay, TimeSpan window, int postgresPort)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        await Task.Delay(delay);
        var (processesBefore, idleBefore) = Sample(postgresPort);
        var clock = Stopwatch.StartNew();
        await Task.Delay(window);
        var (processesAfter, idleAfter) = Sample(postgresPort);
        var seconds = clock.Elapsed.TotalSeconds;

        var cores = Roles.ToDictionary(role => role, _ => 0.0);
        foreach (var (pid, (role, ticks)) in processesAfter)
        {
            // A process started within the window spent all its time in it; one that ended is lost (a few ticks).
            var before = processesBefore.TryGetValue(pid, out var earlier) ? earlier.Ticks : 0;
            cores[role] += (ticks - before) / TicksPerSecond / seconds;
        }

        cores[Idle] = (idleAfter - idleBefore) / TicksPerSecond / seconds;
        return new CpuUse(cores);
    }

    private static (Dictionary<int, (string Role, long Ticks)> Processes, long IdleTicks) Sample(int postgresPort)
    {
        var found = new List<(int Pid, int Parent, string Comm, string CommandLine, long Ticks)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // pid (comm) state ppid ... utime stime: after the closing parenthesis, fields 1 (ppid), 11 and 12.
                var stat = File.ReadAllText($"{directory}/stat");
                var close = stat.LastIndexOf(')');
                var comm = stat[(stat.IndexOf('(', StringComparison.Ordinal) + 1)..close];
                var fields = stat[(close + 2)..].Split(' ');
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                var commandLine = File.ReadAllText($"{directory}/cmdline").Replace('\0', ' ');
                found.Add((pid, int.Parse(fields[1], CultureInfo.InvariantCulture), comm, commandLine, ticks));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Ended while we looked.
            }
        }

        var self = Environment.ProcessId;
        var postmaster = found.FirstOrDefault(p => p.Comm == "postgres" && p.CommandLine.Contains($" -p {postgresPort} ", StringComparison.Ordinal)).Pid;
        var processes = found.ToDictionary(p => p.Pid, p => (
            p.Pid == self ? Driver
            : p.Parent == self && p.CommandLine.Contains("OrleansCqrs.Silo.dll", StringComparison.Ordinal) ? Silos
            : p.Parent == self && p.CommandLine.Contains("OrleansCqrs.Api.dll", StringComparison.Ordinal) ? FrontEnds
            : postmaster != 0 && (p.Pid == postmaster || p.Parent == postmaster) ? Postgres
            : Other,
            p.Ticks));

        // cpu  user nice system idle iowait irq softirq steal ...
        var machine = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var idle = long.Parse(machine[4], CultureInfo.InvariantCulture) + long.Parse(machine[5], CultureInfo.InvariantCulture);
        return (processes, idle);
    }
}

/// <summary>Cores used per role of <see cref="ProcessCpu"/> over a window (idle included: they add up to the machine's cores).</summary>
public sealed record CpuUse(Dictionary<string, double> Cores);
