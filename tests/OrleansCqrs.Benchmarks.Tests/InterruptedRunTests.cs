using System.Diagnostics;
using System.Globalization;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Benchmarks.Tests;

/// <summary>
/// A benchmark stopped before its end (SIGTERM, as `kill` or a CI timeout sends) takes the processes it started with
/// it: left running, a silo and its PostgreSQL kept taking a core of this 2-core machine from every later measurement.
/// </summary>
public sealed class InterruptedRunTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_benchmark_stopped_with_sigterm_leaves_no_silo_front_end_or_database_behind()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Finds the benchmark's processes in /proc.");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[LocalCluster.ProgramPath("OrleansCqrs.Benchmarks"), "--scenario", "cluster", "--store", "postgres", "--runs", "1",
                     "--accounts", "100", "--http-callers", "4", "--cluster-warm-up", "600"])
        {
            start.ArgumentList.Add(argument);
        }

        using var benchmark = Process.Start(start)!;
        var started = new List<int>();
        benchmark.OutputDataReceived += (_, _) => { };
        benchmark.ErrorDataReceived += (_, _) => { };
        benchmark.BeginOutputReadLine();
        benchmark.BeginErrorReadLine();
        try
        {
            // Its one silo and one front end run, and the silo names the benchmark's own PostgreSQL by port.
            var services = await Eventually.ReturnsAsync(
                () => Task.FromResult(ChildrenOf(benchmark.Id)),
                children => children.Count >= 2 && children.Any(child => PostgresPortOf(child) is not null),
                Deadline,
                "a silo and a front end started by the benchmark",
                children => $"{children.Count} child process(es)");
            started.AddRange(services);
            var port = services.Select(PostgresPortOf).First(p => p is not null)!;
            var postgres = await Eventually.ReturnsAsync(
                () => Task.FromResult(PostmasterOn(port)),
                pid => pid is not null,
                Deadline,
                $"the PostgreSQL server on port {port}");
            started.Add(postgres!.Value);

            using (var kill = Process.Start("kill", ["-TERM", benchmark.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            await benchmark.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            await Eventually.ReturnsAsync(
                () => Task.FromResult(started.Where(Alive).ToList()),
                left => left.Count == 0,
                TimeSpan.FromSeconds(30),
                "every process the benchmark started gone after its SIGTERM",
                left => $"still running: {string.Join(", ", left)}");
        }
        finally
        {
            // Whatever the outcome, nothing of this test stays behind.
            if (!benchmark.HasExited)
            {
                benchmark.Kill(entireProcessTree: true);
            }

            foreach (var pid in started.Where(Alive))
            {
                using var left = Process.Start("kill", ["-KILL", pid.ToString(CultureInfo.InvariantCulture)]);
                await left.WaitForExitAsync();
            }
        }
    }

    private static List<int> ChildrenOf(int parent) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => name!.All(char.IsAsciiDigit))
            .Select(name => int.Parse(name!, CultureInfo.InvariantCulture))
            .Where(pid => ParentOf(pid) == parent)];

    private static int? ParentOf(int pid)
    {
        try
        {
            // /proc/<pid>/stat: "pid (comm) state ppid ...", and comm may hold spaces or parentheses.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The PostgreSQL port in a silo's environment (the front end has one too), if this child has it.</summary>
    private static string? PostgresPortOf(int pid)
    {
        try
        {
            var environment = File.ReadAllText($"/proc/{pid}/environ").Split('\0');
            var connection = environment.FirstOrDefault(v => v.StartsWith("OrleansCqrs__PostgresConnectionString=", StringComparison.Ordinal));
            return connection is null ? null : new Npgsql.NpgsqlConnectionStringBuilder(connection[(connection.IndexOf('=', StringComparison.Ordinal) + 1)..]).Port.ToString(CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The postmaster listening on <paramref name="port"/> (its command line names the port).</summary>
    private static int? PostmasterOn(string port)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(directory);
            if (!name.All(char.IsAsciiDigit))
            {
                continue;
            }

            try
            {
                var command = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0');
                var flag = Array.IndexOf(command, "-p");
                if (command[0].EndsWith("/postgres", StringComparison.Ordinal) && flag >= 0 && flag + 1 < command.Length && command[flag + 1] == port)
                {
                    return int.Parse(name, CultureInfo.InvariantCulture);
                }
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
        }

        return null;
    }

    private static bool Alive(int pid) => Directory.Exists($"/proc/{pid}");
}
