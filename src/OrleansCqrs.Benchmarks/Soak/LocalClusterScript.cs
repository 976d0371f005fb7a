using System.Diagnostics;
using System.Globalization;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Benchmarks.Soak;

/// <summary>
/// scripts/local-cluster.sh driven from the benchmark: its own state folder and PostgreSQL port, the Silo and Api
/// builds of this benchmark's configuration (built with it, so the script does not build), its fixed ports for the
/// silos and the front end (http://127.0.0.1:5080). The script's pid files say which process is which silo.
/// </summary>
public sealed class LocalClusterScript
{
    public const int Silos = 3;
    public static readonly Uri FrontEnd = new("http://127.0.0.1:5080");

    /// <summary>The script's fixed ports: front end, silo health, silo-to-silo, gateways.</summary>
    private static readonly int[] FixedPorts = [5080, 8081, 8082, 8083, 11111, 11112, 11113, 30001, 30002, 30003];

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(4);
    private readonly string _script;
    private readonly Dictionary<string, string> _environment;

    private LocalClusterScript(string repository, string state, int postgresPort, string configuration)
    {
        _script = Path.Combine(repository, "scripts", "local-cluster.sh");
        State = state;
        PostgresPort = postgresPort;
        _environment = new Dictionary<string, string>
        {
            ["LOCAL_CLUSTER_DIR"] = state,
            ["LOCAL_CLUSTER_PG_PORT"] = PostgresPort.ToString(CultureInfo.InvariantCulture),
            ["LOCAL_CLUSTER_CONFIGURATION"] = configuration,
            ["LOCAL_CLUSTER_NO_BUILD"] = "1",
        };
    }

    /// <summary>
    /// The script's folder: secrets, logs (silo N in N.log, the front end in frontend.log), pid files, and in
    /// <c>pg-folder</c> the path of the database's folder (outside, where the postgres user can reach it).
    /// </summary>
    public string State { get; }

    public int PostgresPort { get; }

    /// <summary>As the migrator role (it owns the tables the audit reads), with the password file the script generated.</summary>
    public string ConnectionString =>
        $"Host=127.0.0.1;Port={PostgresPort};Username=orleanscqrs_migrator;Passfile={Path.Combine(State, "secrets", "migrator_pgpass")};Database=orleanscqrs;Maximum Pool Size=4";

    /// <summary>The database's folder (data/, server.log), or null before the script made one.</summary>
    private string? PgFolder
    {
        get
        {
            var record = Path.Combine(State, "pg-folder");
            return File.Exists(record) ? File.ReadAllText(record).Trim() : null;
        }
    }

    /// <summary>What to run by hand if this process dies without stopping the cluster.</summary>
    public string StopCommand => $"LOCAL_CLUSTER_DIR={State} LOCAL_CLUSTER_PG_PORT={PostgresPort} {_script} stop";

    /// <summary>Checks that nothing holds the script's ports and that the programs are built; creates the state folder.</summary>
    public static LocalClusterScript Prepare()
    {
        var busy = FixedPorts.Where(port => !Ports.NobodyListensOn(port)).ToList();
        if (busy.Count > 0)
        {
            throw new InvalidOperationException(
                $"Port(s) {string.Join(", ", busy)} of 127.0.0.1 are taken: another local cluster (scripts/local-cluster.sh, or LocalClusterScriptTests) is running. Stop it first.");
        }

        // bin/<configuration>/net10.0/: the programs were built in the same configuration, beside this one.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var repository = RepositoryRoot();
        foreach (var program in (string[])["OrleansCqrs.Silo", "OrleansCqrs.Api"])
        {
            var dll = Path.Combine(repository, "src", program, "bin", configuration, "net10.0", $"{program}.dll");
            if (!File.Exists(dll))
            {
                throw new FileNotFoundException($"{program} is not built in {configuration}: build the benchmark project first.", dll);
            }
        }

        var state = Directory.CreateTempSubdirectory("orleanscqrs-soak-").FullName;
        return new LocalClusterScript(repository, state, Ports.Free(), configuration);
    }

    /// <summary>
    /// Starts the cluster and checks every process it started still runs: the script calls a component ready when its
    /// port answers, which another cluster on the same fixed ports also does while ours has died on "address in use".
    /// </summary>
    public async Task StartAsync()
    {
        await RunAsync("start");
        var gone = Enumerable.Range(1, Silos).Select(n => $"{n}").Append("frontend").Where(name => PidOf(name) is null).ToList();
        if (gone.Count > 0)
        {
            throw new InvalidOperationException(
                $"local-cluster.sh start reported ready, but {string.Join(", ", gone)} had exited (a port taken by another cluster?):\n{LogTail(gone[0], 10)}");
        }
    }

    public Task KillAsync(int silo) => RunAsync("kill", silo.ToString(CultureInfo.InvariantCulture));

    /// <summary>Starts silo <paramref name="silo"/> again and waits until it is ready (the script allows it 120 s).</summary>
    public Task RestartAsync(int silo) => RunAsync("restart", silo.ToString(CultureInfo.InvariantCulture));

    public Task StopAsync() => RunAsync("stop");

    /// <summary>The pid of silo N ("1".."3") or "frontend" while it runs, from the script's pid file.</summary>
    public int? PidOf(string component)
    {
        try
        {
            var pid = int.Parse(File.ReadAllText(Path.Combine(State, $"{component}.pid")).Trim(), CultureInfo.InvariantCulture);
            return File.Exists($"/proc/{pid}/status") ? pid : null;
        }
        catch (Exception ex) when (ex is IOException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The PostgreSQL server's postmaster (its backends are its children), from its pid file.</summary>
    public int? PostmasterPid
    {
        get
        {
            try
            {
                return PgFolder is { } folder
                    ? int.Parse(File.ReadLines(Path.Combine(folder, "data", "postmaster.pid")).First().Trim(), CultureInfo.InvariantCulture)
                    : null;
            }
            catch (Exception ex) when (ex is IOException or FormatException or InvalidOperationException or UnauthorizedAccessException)
            {
                return null;
            }
        }
    }

    /// <summary>The last lines a component wrote to its log, as evidence for a report.</summary>
    public string LogTail(string component, int lines = 40)
    {
        var path = Path.Combine(State, $"{component}.log");
        return File.Exists(path) ? string.Join('\n', File.ReadLines(path).TakeLast(lines)) : $"(no {path})";
    }

    /// <summary>Deletes the database (it grows by GBs in a long soak), and the logs too unless <paramref name="keepLogs"/>.</summary>
    public void CleanUp(bool keepLogs)
    {
        foreach (var target in keepLogs ? [PgFolder] : (string?[])[PgFolder, State])
        {
            try
            {
                if (target is not null && Directory.Exists(target))
                {
                    Directory.Delete(target, recursive: true);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Console.WriteLine($"[soak] could not delete {target}: {ex.Message}");
            }
        }
    }

    private async Task RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash", [_script, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not run bash.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(CommandTimeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"local-cluster.sh {string.Join(' ', arguments)} did not finish within {CommandTimeout.TotalMinutes:0} min.");
        }

        var text = (await output + await errors).Trim();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"local-cluster.sh {string.Join(' ', arguments)} failed ({process.ExitCode}): {text}");
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "scripts", "local-cluster.sh")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No scripts/local-cluster.sh above {AppContext.BaseDirectory}.");
    }
}
