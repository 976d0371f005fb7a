namespace OrleansCqrs.Benchmarks;

/// <summary>Command-line options: <c>--scenario commands|activation|cluster|all --store postgres|sqlite|all --seconds 20 --runs 3 --json file</c>.</summary>
public sealed record BenchmarkOptions(
    string Scenario, string Store, int Seconds, int Runs, int Accounts, int Callers, int InsertConnections, int HistoryEvents, int SnapshotEvery,
    int Silos, int HttpCallers, int ClusterWarmUp, string? ClusterEnvironment, string? JsonPath,
    int Listeners, int LiveRate, int TransferRate, int CommandRate, string Layout, string Telemetry,
    string Systems, string? OutDirectory, int WarmUp, int BatchRows, int BatchConnections, bool PublishDocs)
{
    /// <summary>The telemetry settings to measure, in the order of the first run: both, on then off.</summary>
    public bool[] TelemetryModes => Telemetry switch
    {
        "both" => [true, false],
        "on" => [true],
        "off" => [false],
        _ => throw new ArgumentException($"--telemetry is '{Telemetry}'; allowed: on, off, both."),
    };

    public static BenchmarkOptions Parse(string[] args)
    {
        string Get(string name, string fallback)
        {
            var i = Array.IndexOf(args, $"--{name}");
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        int GetInt(string name, int fallback) => int.Parse(Get(name, $"{fallback}"), System.Globalization.CultureInfo.InvariantCulture);

        return new BenchmarkOptions(
            Get("scenario", "all"),
            Get("store", "all"),
            GetInt("seconds", 20),
            GetInt("runs", 3),
            GetInt("accounts", 10_000),
            GetInt("callers", 256),
            GetInt("insert-connections", 32),
            GetInt("history", 100_000),
            GetInt("snapshot-every", 100),
            GetInt("silos", 3),
            GetInt("http-callers", 64),
            GetInt("cluster-warm-up", 30),
            args.Contains("--cluster-env") ? Get("cluster-env", "") : null,
            args.Contains("--json") ? Get("json", "benchmark.json") : null,
            GetInt("listeners", 100),
            GetInt("live-rate", 20_000),
            GetInt("transfer-rate", 1000),
            GetInt("command-rate", 10_000),
            Get("layout", "all"),
            Get("telemetry", "off"),
            Get("systems", "all"),
            args.Contains("--out") ? Get("out", "") : null,
            GetInt("warm-up", 5),
            GetInt("batch-rows", 256),
            GetInt("batch-connections", 8),
            args.Contains("--publish-docs"));
    }

    public static string Usage => """
        OrleansCqrs benchmarks
          --scenario commands,transfers,reads,waiting-reads,row-saves,heal,rebuild,http,activation,cluster,split,live|all   what to measure, comma-separated (default all; rebuild reads the log the others wrote)
          --store postgres|sqlite|all          which durable store (default all)
          --seconds N                          measured seconds per run (default 20, after a 5 s warm-up)
          --runs N                             runs per figure; medians are reported (default 3)
          --accounts N --callers N             command scenario shape (default 10000 accounts, 256 callers)
          --insert-connections N               raw INSERT baseline connections (default 32)
          --history N                          events of the account in the activation scenario (default 100000)
          --snapshot-every N                   aggregate snapshot interval, as OrleansCqrs:SnapshotEvery (default 100)
          --silos N                            cluster scenario: silo processes compared with one (default 3); --runs rounds of 1, N
          --http-callers N                     http and cluster scenarios: concurrent HTTP callers on the one front end (default 64; cluster: 0 measures the idle cluster's CPU)
          --layout all|split                   cluster scenario: the N silos all-in-one (default) or split, silo 1 write and the others read
          --cluster-warm-up N                  cluster scenario: seconds of load before the measured window (default 30: three fresh processes take that long to JIT)
          --cluster-env K=V,K=V                cluster scenario: extra environment of the silo and front-end processes (e.g. DOTNET_gcServer=0)
          --listeners N --live-rate N          live scenario: SSE listeners, each on its own customer (default 100), and events appended per second (default 20000)
          --command-rate N                     commands scenario: deposits offered per second in its open-loop part, after each closed-loop run (default 10000; 0 skips it)
          --transfer-rate N                    transfers scenario: transfers offered per second in its open-loop part (default 1000)
          --telemetry on|off|both              traces and metrics in the processes measured (default off); both: the commands
                                               scenario runs each run twice, on and off in alternating order, and reports the ratio
          --json FILE                          also write the results as JSON
          --warm-up N                          seconds of load before each measured window (default 5; cluster: --cluster-warm-up)
        compare (one command, see docs/benchmarks.md): the same deposits through every system below, --runs rounds, one
        PostgreSQL; prints progress and writes results.md, runs.json and chart.png to a results folder.
          --systems a,b|all                    which systems (default all): orleanscqrs-postgres, orleanscqrs-sqlite,
                                               orleanscqrs-in-memory, marten-fetch-for-writing, marten-quick-append, orleans-journaledgrain,
                                               orleans-in-memory, postgres-insert, postgres-batched-insert, http-embedded, http-cluster
          --out DIR                            the results folder (default benchmark-results/compare-<UTC time>)
          --batch-rows N --batch-connections N postgres-batched-insert: rows per INSERT (default 256) and connections (default 8)
          --publish-docs                       also put the table and chart into docs/benchmarks.md (run from the repository)
        transfers: closed loop (--callers, over --accounts funded accounts), then open loop at --transfer-rate; request to completed.
        live: a front-end process on PostgreSQL, events appended straight to its store by this process.
        http: the front end as a process (embedded mode), rounds of authenticated then anonymous deposits over HTTP.
        split: rounds of three silo processes all-in-one, then split (1 write + 2 read), each with --http-callers depositing and as many reading over HTTP.
        cluster: silo and front-end processes (the Silo and Api builds of this configuration) on PostgreSQL only.
        PostgreSQL: a private server is started in a temp folder, unless ORLEANSCQRS_TEST_POSTGRES names one.
        """;
}
