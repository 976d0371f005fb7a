using System.Globalization;

namespace OrleansCqrs.Benchmarks.Soak;

/// <summary>
/// Where the machine's CPU went since the last call, in cores: the cluster (silos, front end, the PostgreSQL
/// postmaster and its backends), this driver, everything else (other people's work on a shared machine), idle. From
/// Linux /proc; the cluster's processes are found by pid, not by parentage, since the script detaches them.
/// </summary>
public sealed class MachineCpu
{
    /// <summary>Linux reports process and machine times in USER_HZ, 100 on every platform .NET runs on.</summary>
    private const double TicksPerSecond = 100;
    private Dictionary<int, long> _processTicks = [];
    private (long Busy, long Idle) _machine;
    private long _at;

    public MachineCpu() => Sample([]);

    /// <summary>Cores used since the previous sample by role; the cluster is <paramref name="clusterPids"/> and their children. Null off Linux.</summary>
    public CpuSplit? Sample(IReadOnlyCollection<int> clusterPids)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        var processes = ReadProcesses();
        var machine = ReadMachine();
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(_at, now).TotalSeconds;
        var roots = new HashSet<int>(clusterPids);
        double Delta(int pid) => processes.TryGetValue(pid, out var p)
            ? (p.Ticks - _processTicks.GetValueOrDefault(pid)) / TicksPerSecond / seconds
            : 0;

        var cluster = processes.Where(p => roots.Contains(p.Key) || roots.Contains(p.Value.Parent)).Sum(p => Delta(p.Key));
        var driver = Delta(Environment.ProcessId);
        var busy = (machine.Busy - _machine.Busy) / TicksPerSecond / seconds;
        var idle = (machine.Idle - _machine.Idle) / TicksPerSecond / seconds;
        _processTicks = processes.ToDictionary(p => p.Key, p => p.Value.Ticks);
        _machine = machine;
        _at = now;
        return new CpuSplit(cluster, driver, Math.Max(0, busy - cluster - driver), idle);
    }

    private static Dictionary<int, (int Parent, long Ticks)> ReadProcesses()
    {
        var found = new Dictionary<int, (int, long)>();
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
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                found[pid] = (int.Parse(fields[1], CultureInfo.InvariantCulture),
                    long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Ended while we looked.
            }
        }

        return found;
    }

    private static (long Busy, long Idle) ReadMachine()
    {
        // cpu  user nice system idle iowait irq softirq steal ...
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var idle = fields[3] + fields[4];
        return (fields.Take(8).Sum() - idle, idle);
    }
}
