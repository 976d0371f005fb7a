namespace OrleansCqrs.Testing;

/// <summary>
/// A cluster of real processes on 127.0.0.1, configured as in production by silo-config/cluster-*.env (only the
/// database, the ports and the certificates of its mutual TLS are set here): silos 1..N of src/OrleansCqrs.Silo and front ends of src/OrleansCqrs.Api,
/// as built beside this test. Silos keep their ports across restarts, as a restarted container would.
/// </summary>
/// <remarks>
/// Given one connection string (a superuser's, in tests of other things), every process uses it and silos apply the
/// schema at start-up. Given a front end's connection string besides, the processes connect as their own roles, as
/// in production, and the schema must have been migrated (with the roles granted) beforehand.
/// </remarks>
public sealed class LocalCluster : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private const string TlsEnabledVariable = "OrleansCqrs__Tls__Enabled";

    private readonly string _connectionString;
    private readonly string _frontEndConnectionString;
    private readonly bool _silosMigrate;
    private string? _readStoreConnectionString;
    private readonly Dictionary<int, (int SiloPort, int GatewayPort)> _ports = [];
    private readonly Dictionary<int, ServiceProcess> _silos = [];
    private readonly List<ServiceProcess> _frontEnds = [];
    private readonly List<ServiceProcess> _stopped = [];
    private IReadOnlyList<string> _roles = [];

    private LocalCluster(string connectionString, string? frontEndConnectionString)
    {
        _connectionString = connectionString;
        _frontEndConnectionString = frontEndConnectionString ?? connectionString;
        _silosMigrate = frontEndConnectionString is null;
    }

    public IReadOnlyList<ServiceProcess> FrontEnds => _frontEnds;

    /// <summary>This cluster's own CA and certificates (TLS is on in the cluster configs, as in production).</summary>
    public TestCertificates Certificates { get; } = TestCertificates.Create();

    public ServiceProcess Silo(int number) => _silos[number];

    /// <summary>
    /// Starts <paramref name="silos"/> silos and <paramref name="frontEnds"/> front ends and waits until all are ready.
    /// With <paramref name="roles"/>, silo N runs with the Nth (<c>OrleansCqrs:Role</c>); without, every silo is <c>all</c>.
    /// With <paramref name="readStoreConnectionString"/>, the silos keep read models there (OrleansCqrs:ReadStoreConnectionString).
    /// </summary>
    public static async Task<LocalCluster> StartAsync(
        string connectionString,
        int silos,
        int frontEnds = 1,
        string? frontEndConnectionString = null,
        IReadOnlyList<string>? roles = null,
        string? readStoreConnectionString = null)
    {
        var cluster = new LocalCluster(connectionString, frontEndConnectionString) { _roles = roles ?? [], _readStoreConnectionString = readStoreConnectionString };
        try
        {
            for (var n = 1; n <= silos; n++)
            {
                cluster._ports[n] = (Ports.Free(), Ports.Free());
                cluster.LaunchSilo(n);
            }

            for (var i = 0; i < frontEnds; i++)
            {
                var env = Configuration("cluster-frontend.env");
                env["OrleansCqrs__PostgresConnectionString"] = cluster._frontEndConnectionString;
                AddAll(env, cluster.Tls(cluster.Certificates.FrontEnd));
                // Front ends accept tokens signed with the test run's key (TestTokens); the env file sets no issuer.
                env[TestTokens.SigningKeyFileVariable] = TestTokens.Shared.KeyFile;
                // The tests' load is one staff caller reading and writing as fast as the cluster answers: on a quiet
                // machine that outruns a caller's read limit (2,000/s), which is not what these tests are about.
                AddAll(env, LoadGeneratorLimits.Environment);
                cluster._frontEnds.Add(ServiceProcess.Start($"front end {i + 1}", ProgramPath("OrleansCqrs.Api"), env));
            }

            await Task.WhenAll(cluster._silos.Values.Concat(cluster._frontEnds).Select(p => p.WaitUntilReadyAsync(StartTimeout)));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL silo <paramref name="number"/>: a crash, nothing said to the cluster.</summary>
    public async Task KillSiloAsync(int number)
    {
        var silo = _silos[number];
        await silo.KillAsync();
        _silos.Remove(number);
        _stopped.Add(silo);
    }

    /// <summary>SIGTERM silo <paramref name="number"/> and wait until it has exited.</summary>
    public async Task<ServiceProcess> TerminateSiloAsync(int number, TimeSpan timeout)
    {
        var silo = _silos[number];
        await silo.TerminateAsync(timeout);
        _silos.Remove(number);
        _stopped.Add(silo);
        return silo;
    }

    /// <summary>Starts silo <paramref name="number"/> again on its ports and waits until it is an active member.</summary>
    public async Task RestartSiloAsync(int number)
    {
        if (_silos.ContainsKey(number))
        {
            throw new InvalidOperationException($"Silo {number} is running.");
        }

        await LaunchSilo(number).WaitUntilReadyAsync(StartTimeout);
    }

    /// <summary>Everything every process printed, for a failure message.</summary>
    public string Output => string.Join(
        "\n",
        _silos.Values.Concat(_frontEnds).Concat(_stopped).Select(p => $"===== {p.Name} =====\n{p.Output}"));

    private ServiceProcess LaunchSilo(int number)
    {
        var env = Configuration("cluster-silo.env");
        env["OrleansCqrs__PostgresConnectionString"] = _connectionString;
        env["OrleansCqrs__SiloPort"] = $"{_ports[number].SiloPort}";
        env["OrleansCqrs__GatewayPort"] = $"{_ports[number].GatewayPort}";
        env["OrleansCqrs__AdvertisedHost"] = "127.0.0.1";
        if (number <= _roles.Count)
        {
            env["OrleansCqrs__Role"] = _roles[number - 1];
        }

        if (_readStoreConnectionString is not null)
        {
            env["OrleansCqrs__ReadStoreConnectionString"] = _readStoreConnectionString;
        }

        if (_silosMigrate)
        {
            env["OrleansCqrs__MigrateAtStartup"] = "true";
        }

        AddAll(env, Tls(Certificates.Silo));
        var silo = ServiceProcess.Start($"silo {number}", ProgramPath("OrleansCqrs.Silo"), env);
        _silos[number] = silo;
        return silo;
    }

    /// <summary>The repository's silo-config file <paramref name="file"/> as environment variables.</summary>
    public static Dictionary<string, string> Configuration(string file)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(RepositoryRoot, "silo-config", file)))
        {
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            var equals = trimmed.IndexOf('=', StringComparison.Ordinal);
            settings[trimmed[..equals]] = trimmed[(equals + 1)..].Trim('"');
        }

        return settings;
    }

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>
    /// The TLS settings of a process presenting <paramref name="certificate"/>: on, as in the cluster configs, unless
    /// this process's environment switches it off (the benchmark's <c>--cluster-env</c> measures its cost that way).
    /// </summary>
    private Dictionary<string, string> Tls(PemPair certificate) =>
        Environment.GetEnvironmentVariable(TlsEnabledVariable) == "false"
            ? new Dictionary<string, string> { [TlsEnabledVariable] = "false" }
            : Certificates.Environment(certificate);

    private static void AddAll(Dictionary<string, string> environment, IReadOnlyDictionary<string, string> settings)
    {
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }
    }

    /// <summary>A program of src/, built in the configuration of the running test (test projects build it first).</summary>
    public static string ProgramPath(string project)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var path = Path.Combine(RepositoryRoot, "src", project, "bin", configuration, "net10.0", $"{project}.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{project} is not built ({configuration}).", path);
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OrleansCqrs.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No OrleansCqrs.sln above {AppContext.BaseDirectory}.");
    }

    public async ValueTask DisposeAsync()
    {
        // Front ends first: a client whose silos vanish only logs, but a silo that loses its peers waits for them.
        foreach (var process in _frontEnds.Concat(_silos.Values).Concat(_stopped))
        {
            await process.DisposeAsync();
        }

        Certificates.Dispose();
    }
}
