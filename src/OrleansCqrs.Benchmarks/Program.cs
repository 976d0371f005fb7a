using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using OrleansCqrs.Benchmarks;
using OrleansCqrs.Benchmarks.Compare;
using OrleansCqrs.Benchmarks.Soak;
using OrleansCqrs.Testing;

if (args.Contains("--help"))
{
    Console.WriteLine(BenchmarkOptions.Usage + SoakOptions.Usage);
    return;
}

var options = BenchmarkOptions.Parse(args);
// One caller, one address, thousands of requests a second: the front ends started from here inherit raised limits.
LoadGeneratorLimits.ApplyToChildProcesses();
if (options.Scenario == "compare")
{
    try
    {
        Environment.ExitCode = await ComparisonScenario.RunAsync(options);
    }
    catch (ArgumentException bad)
    {
        // A wrong option: said in one line, before anything started.
        await Console.Error.WriteLineAsync(bad.Message);
        Environment.ExitCode = 2;
    }

    return;
}

if (options.Scenario == "soak")
{
    Environment.ExitCode = await SoakScenario.RunAsync(SoakOptions.Parse(args));
    return;
}

var warmUp = TimeSpan.FromSeconds(options.WarmUp);
var measured = TimeSpan.FromSeconds(options.Seconds);
var report = new BenchmarkReport(Environment.ProcessorCount, DateTimeOffset.UtcNow);
bool Wants(string what, string value) => value == "all" || value.Split(',').Contains(what);

if (Wants("postgres", options.Store))
{
    await using var server = await PostgresServer.StartAsync();
    var connectionString = await server.CreateDatabaseAsync("bench");
    var settings = new Dictionary<string, string?>
    {
        ["OrleansCqrs:Store"] = "Postgres",
        ["OrleansCqrs:PostgresConnectionString"] = connectionString,
        ["OrleansCqrs:SnapshotEvery"] = $"{options.SnapshotEvery}",
        ["OrleansCqrs:Telemetry:Enabled"] = $"{options.TelemetryModes[0]}",
    };
    await MeasureStoreAsync("postgres", settings, Path.GetTempPath(), connectionString);
    if (Wants("live", options.Scenario))
    {
        await LiveScenario.MeasureAsync(server, options, report, warmUp, measured);
    }

    if (Wants("split", options.Scenario))
    {
        await MeasureSplitAsync(server);
    }

    if (Wants("cluster", options.Scenario))
    {
        await MeasureClusterAsync(server);
    }
}
else if (options.Scenario.Split(',').Contains("cluster") || options.Scenario.Split(',').Contains("split"))
{
    Console.WriteLine("The cluster and split scenarios run on PostgreSQL only: add --store postgres.");
}

if (Wants("sqlite", options.Store))
{
    var data = Directory.CreateTempSubdirectory("orleanscqrs-bench-").FullName;
    try
    {
        var settings = new Dictionary<string, string?>
        {
            ["OrleansCqrs:Store"] = "Sqlite",
            ["OrleansCqrs:DataDirectory"] = data,
            ["OrleansCqrs:SnapshotEvery"] = $"{options.SnapshotEvery}",
            ["OrleansCqrs:Telemetry:Enabled"] = $"{options.TelemetryModes[0]}",
        };
        await MeasureStoreAsync("sqlite", settings, data, null);
    }
    finally
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(data, recursive: true);
    }
}

report.Print();
if (options.JsonPath is { } path)
{
    await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals }));
    Console.WriteLine($"JSON: {Path.GetFullPath(path)}");
}

async Task MeasureStoreAsync(string store, Dictionary<string, string?> settings, string dataRoot, string? postgres)
{
    if (Wants("commands", options.Scenario) && options.Telemetry == "both")
    {
        await MeasureTelemetryAsync(store, settings, dataRoot);
    }
    else if (Wants("commands", options.Scenario))
    {
        await using var silo = await BenchSilo.StartAsync(settings, dataRoot);
        Console.WriteLine($"[{store}] opening {options.Accounts:N0} accounts...");
        var accounts = await CommandScenario.OpenAccountsAsync(silo.Grains, options.Accounts, options.Callers);
        for (var run = 1; run <= options.Runs; run++)
        {
            var commits = postgres is null ? null : PostgresCommits.MeasureAsync(postgres, warmUp, measured);
            var commands = await CommandScenario.RunAsync(silo.Grains, accounts, options.Callers, warmUp, measured);
            var perCommit = commits is null ? "" : $", PostgreSQL {await commits:N0} commits/s ({commands.PerSecond / await commits:0.0} commands per commit)";
            Console.WriteLine($"[{store}] run {run}: {commands.PerSecond:N0} commands/s, p50 {commands.Latency!.P50Ms:0.0} ms, p99 {commands.Latency.P99Ms:0.0} ms{perCommit}");
            report.Add($"{store}.commands", run, commands);
            if (postgres is not null && options.InsertConnections > 0)
            {
                var raw = await RawInsertScenario.RunAsync(postgres, options.InsertConnections, warmUp, measured);
                Console.WriteLine($"[{store}] run {run}: raw single-row INSERT {raw.PerSecond:N0} rows/s ({options.InsertConnections} connections); ratio {commands.PerSecond / raw.PerSecond:0.00}");
                report.Add($"{store}.raw-insert", run, raw);
                report.AddRatio($"{store}.commands-to-raw-insert", run, commands.PerSecond / raw.PerSecond);
            }

            if (options.CommandRate > 0)
            {
                var open = await CommandScenario.RunOpenAsync(silo.Grains, accounts, options.CommandRate, run, warmUp, measured);
                Console.WriteLine($"[{store}] run {run}: {options.CommandRate:N0} deposits/s offered: {open.PerSecond:N0}/s completed, p50 {open.Latency!.P50Ms:0.0} ms, p99 {open.Latency.P99Ms:0.0} ms, max {open.Latency.MaxMs:0} ms");
                report.Add($"{store}.commands-open-{options.CommandRate}", run, open);
            }
        }
    }

    if (Wants("transfers", options.Scenario))
    {
        await TransferScenario.MeasureAsync(store, settings, dataRoot, options, report, warmUp, measured);
    }

    if (Wants("reads", options.Scenario))
    {
        await using var silo = await BenchSilo.StartAsync(settings, dataRoot);
        var accounts = await CommandScenario.OpenAccountsAsync(silo.Grains, options.Accounts, options.Callers);
        for (var run = 1; run <= options.Runs; run++)
        {
            var queries = await ReadScenario.QueriesAsync(silo.Grains, accounts, 64, warmUp, measured);
            Console.WriteLine($"[{store}] run {run}: {queries.PerSecond:N0} summary queries/s, p50 {queries.Latency!.P50Ms:0.00} ms, p99 {queries.Latency.P99Ms:0.00} ms");
            report.Add($"{store}.summary-queries", run, queries);
            var lag = await ReadScenario.ReadYourWritesAsync(silo.Grains, accounts, options.Callers, warmUp, measured);
            Console.WriteLine($"[{store}] run {run}: read-your-writes under load, ack to answer p50 {lag.Latency!.P50Ms:0.0} ms, p99 {lag.Latency.P99Ms:0.0} ms");
            report.Add($"{store}.ack-to-read", run, lag);
        }
    }

    if (Wants("waiting-reads", options.Scenario))
    {
        await WaitingReadersScenario.MeasureAsync(store, settings, dataRoot, options, report, warmUp, measured);
    }

    if (Wants("row-saves", options.Scenario))
    {
        await RowSaveScenario.MeasureAsync(store, settings, options.Runs, report);
    }

    if (Wants("rebuild", options.Scenario))
    {
        await using var silo = await BenchSilo.StartAsync(settings, dataRoot);
        for (var run = 1; run <= options.Runs; run++)
        {
            var rebuild = await RebuildScenario.RunAsync(silo.Grains);
            Console.WriteLine($"[{store}] run {run}: rebuilt the ledger from {rebuild.Events:N0} events in {rebuild.Seconds:0.00} s: {rebuild.EventsPerSecond:N0} events/s");
            report.AddRatio($"{store}.ledger-rebuild-events-per-second", run, rebuild.EventsPerSecond);
            var summaries = await SummaryRebuildScenario.RunAsync(silo.Grains, rebuild.Events);
            Console.WriteLine($"[{store}] run {run}: rebuilt every account summary from {summaries.Events:N0} events in {summaries.Seconds:0.00} s: {summaries.EventsPerSecond:N0} events/s");
            report.AddRatio($"{store}.summary-rebuild-events-per-second", run, summaries.EventsPerSecond);
        }
    }

    if (Wants("heal", options.Scenario))
    {
        await using var silo = await BenchSilo.StartAsync(settings, dataRoot);
        var accounts = await CommandScenario.OpenAccountsAsync(silo.Grains, options.Accounts, options.Callers);
        for (var run = 1; run <= options.Runs; run++)
        {
            var heal = await HealScenario.RunAsync(silo, accounts, options.Callers, run, warmUp, measured);
            Console.WriteLine($"[{store}] run {run}: lost tails under load, commit to healed with nobody reading p50 {heal.Latency!.P50Ms:0} ms, p99 {heal.Latency.P99Ms:0} ms ({heal.Latency.Count} samples)");
            report.Add($"{store}.lost-tail-healed", run, heal);
        }
    }

    if (Wants("http", options.Scenario))
    {
        await MeasureHttpAsync(store, settings);
    }

    if (Wants("activation", options.Scenario))
    {
        await using var silo = await BenchSilo.StartAsync(settings, dataRoot);
        Console.WriteLine($"[{store}] activation of an account with {options.HistoryEvents:N0} events...");
        var activation = await ActivationScenario.RunAsync(silo, options.HistoryEvents, repetitions: 9);
        Console.WriteLine($"[{store}] full replay {activation.FullReplayMs:N0} ms; from snapshot median {activation.FromSnapshotMedianMs.ToString("0.0", CultureInfo.InvariantCulture)} ms");
        report.Activations[store] = activation;
    }
}

// Side by side: one silo, built with telemetry on (grain calls carry trace context, the dashboard collects), measured
// in pairs of windows moments apart, one while the process listens to every span and metric (telemetry on, exported
// nowhere) and one while nothing listens (as off: spans and instruments then cost a null check). The order alternates
// per pair. Restarting a silo per window would leave a minute between the two halves of a pair, and on this shared
// machine the load moves by a factor of two within a minute.
async Task MeasureTelemetryAsync(string store, Dictionary<string, string?> settings, string dataRoot)
{
    var c = CultureInfo.InvariantCulture;
    await using var silo = await BenchSilo.StartAsync(new Dictionary<string, string?>(settings) { ["OrleansCqrs:Telemetry:Enabled"] = "true" }, dataRoot, services: false);
    Console.WriteLine($"[{store}] opening {options.Accounts:N0} accounts...");
    var accounts = await CommandScenario.OpenAccountsAsync(silo.Grains, options.Accounts, options.Callers);
    var pairWarmUp = TimeSpan.FromSeconds(2);
    // Unmeasured, once each: the first window with listeners would otherwise pay for compiling their code paths.
    using (silo.ListenToTelemetry())
    {
        await CommandScenario.RunAsync(silo.Grains, accounts, options.Callers, warmUp, measured);
    }

    await CommandScenario.RunAsync(silo.Grains, accounts, options.Callers, warmUp, measured);
    for (var run = 1; run <= options.Runs; run++)
    {
        var perSecond = new Dictionary<bool, double>();
        foreach (var on in run % 2 == 1 ? (bool[])[true, false] : [false, true])
        {
            var name = on ? "on" : "off";
            using var listening = on ? silo.ListenToTelemetry() : null;
            var commands = await CommandScenario.RunAsync(silo.Grains, accounts, options.Callers, pairWarmUp, measured);
            Console.WriteLine(string.Create(c, $"[{store}] run {run}, telemetry {name}: {commands.PerSecond:N0} commands/s, p50 {commands.Latency!.P50Ms:0.0} ms, p99 {commands.Latency.P99Ms:0.0} ms"));
            report.Add($"{store}.commands-telemetry-{name}", run, commands);
            perSecond[on] = commands.PerSecond;
        }

        report.AddRatio($"{store}.commands-telemetry-on-to-off", run, perSecond[true] / perSecond[false]);
    }
}

// Side by side: each round runs the front end with authentication and without, on the same store, so that only
// authentication differs and drift of the shared machine hits both alike.
async Task MeasureHttpAsync(string store, Dictionary<string, string?> settings)
{
    var environment = settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value ?? "", StringComparer.Ordinal);
    var c = CultureInfo.InvariantCulture;
    for (var round = 1; round <= options.Runs; round++)
    {
        var perSecond = new Dictionary<bool, double>();
        var cpuPerCommand = new Dictionary<bool, double>();
        // The order alternates, so that whatever the previous round left behind (a database still checkpointing, say)
        // weighs on both alike.
        foreach (var authenticated in round % 2 == 1 ? (bool[])[true, false] : [false, true])
        {
            var name = authenticated ? "authenticated" : "anonymous";
            var (commands, cpu) = await HttpScenario.RunAsync(environment, authenticated, $"http{round}-{name}", options.Accounts, options.HttpCallers, warmUp, measured);
            // The app's own CPU per command (its front end and embedded silo): what authentication adds to each
            // request, which other work on a shared machine disturbs far less than it does the rate.
            var perCommand = cpu is null ? double.NaN : cpu.Cores[ProcessCpu.FrontEnds] / commands.PerSecond * 1e6;
            var cpuText = cpu is null ? "" : string.Create(c, $", app CPU {perCommand:N0} µs per command ({cpu.Cores[ProcessCpu.FrontEnds]:0.00} cores; other processes {cpu.Cores[ProcessCpu.Other]:0.00})");
            Console.WriteLine(string.Create(c, $"[{store}] round {round}, HTTP {name}: {commands.PerSecond:N0} commands/s, p50 {commands.Latency!.P50Ms:0.0} ms, p99 {commands.Latency.P99Ms:0.0} ms{cpuText}"));
            report.Add($"{store}.http-{name}", round, commands);
            if (cpu is not null)
            {
                report.AddCpu($"{store}.http-{name}", cpu);
            }

            perSecond[authenticated] = commands.PerSecond;
            cpuPerCommand[authenticated] = perCommand;
        }

        report.AddRatio($"{store}.http-authenticated-to-anonymous", round, perSecond[true] / perSecond[false]);
        if (!double.IsNaN(cpuPerCommand[true]))
        {
            report.AddRatio($"{store}.http-cpu-per-command-authenticated-to-anonymous", round, cpuPerCommand[true] / cpuPerCommand[false]);
        }
    }
}

// Side by side: each round runs one silo, then options.Silos silos, each on a fresh database with one front end, so
// only the silo count differs and drift of the shared machine hits both alike.
async Task MeasureClusterAsync(PostgresServer server)
{
    if (options.Layout is not ("all" or "split"))
    {
        throw new ArgumentException($"--layout is '{options.Layout}'; allowed: all, split.");
    }

    if (options.Silos < 2)
    {
        throw new ArgumentException("--silos must be at least 2: the scenario compares them with one silo.");
    }

    foreach (var setting in (options.ClusterEnvironment ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
    {
        // Inherited by the processes LocalCluster starts; this process's runtime has read its own settings already.
        var equals = setting.IndexOf('=', StringComparison.Ordinal);
        Environment.SetEnvironmentVariable(setting[..equals], setting[(equals + 1)..]);
        Console.WriteLine($"[cluster] processes get {setting}");
    }

    var c = CultureInfo.InvariantCulture;
    string Name(int silos) => silos == 1 ? "cluster.1-silo" : options.Layout == "split" ? $"cluster.{silos}-silos-split" : $"cluster.{silos}-silos";
    var perSecond = new Dictionary<int, List<double>> { [1] = [], [options.Silos] = [] };
    for (var round = 1; round <= options.Runs; round++)
    {
        foreach (var silos in (int[])[1, options.Silos])
        {
            // One silo is always all; with --layout split the others are one write silo and read silos.
            IReadOnlyList<string>? roles = silos > 1 && options.Layout == "split" ? ["write", .. Enumerable.Repeat("read", silos - 1)] : null;
            var result = await ClusterScenario.RunAsync(server, silos, options.Accounts, options.HttpCallers, TimeSpan.FromSeconds(options.ClusterWarmUp), measured, roles);
            var commands = result.Commands;
            var cpu = result.Cpu is null ? "" : string.Create(c, $"; CPU cores {string.Join(", ", result.Cpu.Cores.Select(kv => string.Create(c, $"{kv.Key} {kv.Value:0.00}")))}; silo CPU per command {result.Cpu.Cores[ProcessCpu.Silos] / commands.PerSecond * 1e6:N0} µs");
            var commits = string.Create(c, $"; PostgreSQL {result.CommitsPerSecond:N0} commits/s, {commands.PerSecond / result.CommitsPerSecond:0.0} commands per commit");
            Console.WriteLine(string.Create(c, $"[cluster] round {round}, {silos} silo(s): {commands.PerSecond:N0} commands/s, p50 {commands.Latency!.P50Ms:0.0} ms, p99 {commands.Latency.P99Ms:0.0} ms, {result.Failed} failed{cpu}{commits}"));
            report.Add($"{Name(silos)}.commands", round, commands);
            if (result.Cpu is not null)
            {
                report.AddCpu(Name(silos), result.Cpu);
            }

            perSecond[silos].Add(commands.PerSecond);
        }

        report.AddRatio($"cluster.{options.Silos}-to-1-per-round", round, perSecond[options.Silos][^1] / perSecond[1][^1]);
    }

    var ratio = BenchmarkReport.Median(perSecond[options.Silos]) / BenchmarkReport.Median(perSecond[1]);
    report.AddRatio($"cluster.{options.Silos}-to-1-of-medians", options.Runs, ratio);
    Console.WriteLine(string.Create(c, $"[cluster] {options.Silos} silos ({options.Layout}) keep {ratio:0.00} of one silo's commands/s (medians; target >= 0.90: {(ratio >= 0.90 ? "met" : "not met")})"));
}

// Side by side: each round runs the all-in-one layout, then the split one (1 write + 2 read silos), each on a fresh
// database with one front end, deposits and reads at once; the question is the reads each serves.
async Task MeasureSplitAsync(PostgresServer server)
{
    var c = CultureInfo.InvariantCulture;
    var reads = new Dictionary<string, List<double>> { ["all"] = [], ["split"] = [] };
    for (var round = 1; round <= options.Runs; round++)
    {
        foreach (var (name, roles) in new (string, IReadOnlyList<string>)[] { ("all", SplitScenario.AllInOne), ("split", SplitScenario.Split) })
        {
            var result = await SplitScenario.RunAsync(server, roles, options.Accounts, options.HttpCallers, options.HttpCallers, TimeSpan.FromSeconds(options.ClusterWarmUp), measured);
            Console.WriteLine(string.Create(c, $"[split] round {round}, {result.Layout}: reads {result.Reads.PerSecond:N0}/s (p50 {result.Reads.Latency!.P50Ms:0.0} ms, p99 {result.Reads.Latency.P99Ms:0.0} ms) beside deposits {result.Writes.PerSecond:N0}/s (p50 {result.Writes.Latency!.P50Ms:0.0} ms, p99 {result.Writes.Latency.P99Ms:0.0} ms); not answered 200: {result.FailedReads} reads, {result.FailedWrites} deposits"));
            report.Add($"split.{name}.reads", round, result.Reads);
            report.Add($"split.{name}.deposits", round, result.Writes);
            reads[name].Add(result.Reads.PerSecond);
        }

        report.AddRatio("split.reads-split-to-all-per-round", round, reads["split"][^1] / reads["all"][^1]);
    }

    var ratio = BenchmarkReport.Median(reads["split"]) / BenchmarkReport.Median(reads["all"]);
    report.AddRatio("split.reads-split-to-all-of-medians", options.Runs, ratio);
    Console.WriteLine(string.Create(c, $"[split] the split layout serves {ratio:0.00} of the all-in-one layout's reads beside full-speed deposits (medians; target >= 1.00: {(ratio >= 1 ? "met" : "not met")})"));
}
