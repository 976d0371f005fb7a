using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Cluster.Tests;

/// <summary>
/// scripts/local-cluster.sh as a user runs it: start, status, kill and restart a silo, stop. It uses the fixed ports
/// of the README (front end on 5080), so nothing else may be running a local cluster meanwhile.
/// </summary>
public sealed class LocalClusterScriptTests : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(3);
    private readonly string _state = Directory.CreateTempSubdirectory("orleanscqrs-local-cluster-").FullName;
    private readonly Dictionary<string, string> _environment;

    public LocalClusterScriptTests()
    {
        _environment = new Dictionary<string, string>
        {
            ["LOCAL_CLUSTER_DIR"] = _state,
            ["LOCAL_CLUSTER_PG_PORT"] = $"{Ports.Free()}",
            // The test project has built both programs in its own configuration.
            ["LOCAL_CLUSTER_CONFIGURATION"] = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd('/'))!),
            ["LOCAL_CLUSTER_NO_BUILD"] = "1",
        };
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync("stop");
        Directory.Delete(_state, recursive: true);
    }

    [Fact]
    public async Task Start_kill_restart_and_stop_leave_a_working_cluster_and_then_nothing_running()
    {
        var started = await RunAsync("start");
        Assert.True(started.ExitCode == 0, started.Output);
        var status = await RunAsync("status");
        Assert.Equal(5, status.Output.Split('\n').Count(line => line.Contains("running", StringComparison.Ordinal)));

        using var client = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:5080"), Timeout = TimeSpan.FromSeconds(60) };
        using (var opened = await client.PostAsJsonAsync("/api/accounts", new { accountId = "script-1", customerId = "cust-script", currency = "EUR" }))
        {
            Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        }

        var pids = Directory.GetFiles(_state, "*.pid").Select(FirstNumber).ToList();
        Assert.Equal(4, pids.Count);
        pids.Add(FirstNumber(Path.Combine(_state, "pg", "postmaster.pid")));

        var killed = await RunAsync("kill 2");
        Assert.True(killed.ExitCode == 0, killed.Output);
        Assert.Contains("silo 2   stopped", (await RunAsync("status")).Output, StringComparison.Ordinal);
        using (var deposit = await client.PostAsJsonAsync("/api/accounts/script-1/deposit", new { amount = 5 }))
        {
            Assert.Equal(HttpStatusCode.OK, deposit.StatusCode);
        }

        var restarted = await RunAsync("restart 2");
        Assert.True(restarted.ExitCode == 0, restarted.Output);
        Assert.Contains("silo 2   running", (await RunAsync("status")).Output, StringComparison.Ordinal);

        var stopped = await RunAsync("stop");
        Assert.True(stopped.ExitCode == 0, stopped.Output);
        var after = await RunAsync("status");
        Assert.Equal(5, after.Output.Split('\n').Count(line => line.Contains("stopped", StringComparison.Ordinal)));
        // An exited process lingers until its parent (here: init) has reaped it.
        await Eventually.ReturnsAsync(
            () => Task.FromResult(string.Join(", ", pids.Where(IsRunning))),
            running => running.Length == 0,
            TimeSpan.FromSeconds(10),
            "every process the script started to be gone after stop");
    }

    private static int FirstNumber(string file) =>
        int.Parse(File.ReadLines(file).First().Trim(), System.Globalization.CultureInfo.InvariantCulture);

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string arguments)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(LocalCluster.RepositoryRoot, "scripts", "local-cluster.sh"), .. arguments.Split(' ')])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(CommandTimeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"local-cluster.sh {arguments} did not finish within {CommandTimeout}.");
        }

        return (process.ExitCode, await output + await errors);
    }
}
