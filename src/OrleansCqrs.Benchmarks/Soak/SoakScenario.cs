using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.InteropServices;

namespace OrleansCqrs.Benchmarks.Soak;

/// <summary>
/// The soak: scripts/local-cluster.sh's cluster under mixed HTTP load for a long time, one silo killed with SIGKILL
/// and restarted every kill period (silo 1, 2, 3, 1, ...; the first kill half a period in, so that every window of
/// one period holds exactly one kill, the first window included). Samples memory, latency and projection lag, then
/// audits the log, and judges whether memory, p99 and lag stayed flat. Stops the cluster whatever happens.
/// </summary>
public static class SoakScenario
{
    public static async Task<int> RunAsync(SoakOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var cancel = new CancellationTokenSource();
        void OnCancelKey(object? sender, ConsoleCancelEventArgs e)
        {
            if (!cancel.IsCancellationRequested)
            {
                // The first Ctrl+C stops the load and still stops the cluster; a second one quits at once.
                e.Cancel = true;
                Console.WriteLine("[soak] stopping: audit, report, stop the cluster (Ctrl+C again quits at once and leaves it running)");
                cancel.Cancel();
            }
        }

        Console.CancelKeyPress += OnCancelKey;
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            cancel.Cancel();
        });
        try
        {
            return await RunAsync(options, cancel.Token);
        }
        finally
        {
            Console.CancelKeyPress -= OnCancelKey;
        }
    }

    private static async Task<int> RunAsync(SoakOptions options, CancellationToken cancel)
    {
        var startedAt = DateTimeOffset.UtcNow;
        LocalClusterScript cluster;
        try
        {
            cluster = LocalClusterScript.Prepare();
        }
        catch (Exception ex) when (ex is InvalidOperationException or FileNotFoundException or DirectoryNotFoundException)
        {
            // Nothing started yet: say why, and no report.
            Console.Error.WriteLine($"[soak] cannot start: {ex.Message}");
            return 2;
        }

        Console.WriteLine($"[soak] cluster folder {cluster.State}; should this process die, stop the cluster with:\n  {cluster.StopCommand}");
        var meter = new SoakMeter();
        var accounts = new SoakAccounts(options.Accounts, options.Probes);
        var ledger = new CommandLedger(accounts.Ids.Count);
        var samples = new List<SoakSample>();
        var kills = new List<SiloKill>();
        AuditResult? audit = null;
        string? error = null;
        var measuredSeconds = 0.0;
        try
        {
            Console.WriteLine("[soak] starting PostgreSQL, 3 silos and the front end (scripts/local-cluster.sh start)...");
            await cluster.StartAsync();
            using var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) };
            using var client = new HttpClient(handler) { BaseAddress = LocalClusterScript.FrontEnd, Timeout = TimeSpan.FromSeconds(30) };
            var commands = new SoakCommands(client, meter, ledger, accounts.Ids);
            Console.WriteLine($"[soak] opening {accounts.Ids.Count:N0} accounts...");
            await OpenAccountsAsync(client, commands, accounts, options.Callers, cancel);

            using var run = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            using var stopLoad = CancellationTokenSource.CreateLinkedTokenSource(run.Token);
            var probes = new LagProbes(client, meter, commands, accounts.Ids, cluster.ConnectionString);
            var loads = new[]
            {
                new SoakLoad(client, meter, commands, accounts.Ids, accounts.Mixed).RunAsync(options.Callers, stopLoad.Token),
                probes.RunSummaryProbesAsync(accounts.Probes, TimeSpan.FromMilliseconds(500), stopLoad.Token),
                probes.RunLedgerProbeAsync(TimeSpan.FromSeconds(1), stopLoad.Token),
            };
            try
            {
                Console.WriteLine($"[soak] load running; {options.WarmUp.TotalSeconds:0} s of warm-up, then {options.Duration.TotalMinutes:0.#} min measured");
                if (await WaitUntilAsync(meter, meter.Now + options.WarmUp, run.Token))
                {
                    meter.Swap();
                    var start = meter.Now;
                    var sampling = SampleAsync(options, cluster, meter, start, samples, run.Token);
                    var killing = KillAsync(options, cluster, meter, start, kills, run);
                    await Task.WhenAll(sampling, killing);
                    error = await killing;
                    measuredSeconds = (meter.Now - start).TotalSeconds;
                }
            }
            finally
            {
                Console.WriteLine("[soak] stopping the load (calls in flight finish, retries included)...");
                await stopLoad.CancelAsync();
                await Task.WhenAll(loads);
            }

            if (cancel.IsCancellationRequested)
            {
                error ??= "interrupted (Ctrl+C or SIGTERM)";
            }

            Console.WriteLine("[soak] auditing the event log and the read models...");
            audit = await EventLogAudit.RunAsync(cluster.ConnectionString, ledger, accounts, client);
        }
        catch (Exception ex)
        {
            error ??= ex.Message;
            Console.WriteLine($"[soak] failed: {ex}");
        }
        finally
        {
            Console.WriteLine("[soak] stopping the cluster (scripts/local-cluster.sh stop)...");
            try
            {
                await cluster.StopAsync();
                var keepLogs = options.KeepState || error is not null || audit is not { Passed: true };
                if (!options.KeepState)
                {
                    cluster.CleanUp(keepLogs);
                }

                if (keepLogs)
                {
                    Console.WriteLine($"[soak] the processes' logs are kept in {cluster.State}");
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                Console.WriteLine($"[soak] stopping the cluster failed: {ex.Message}\nStop it with: {cluster.StopCommand}");
            }
        }

        var windows = Windows(options, samples, kills);
        var report = new SoakReport(startedAt, Environment.ProcessorCount, options, measuredSeconds, samples, windows, kills,
            SoakReport.Judge(windows, options), audit, meter.Notes, meter.NoteCount, error);
        await report.WriteAsync();
        Console.WriteLine();
        Console.WriteLine(report.Markdown());
        Console.WriteLine($"Markdown: {Path.GetFullPath(options.MarkdownPath)}; JSON: {Path.GetFullPath(options.JsonPath)}");
        return error is null && audit is { Passed: true } ? 0 : 1;
    }

    private static async Task OpenAccountsAsync(HttpClient client, SoakCommands commands, SoakAccounts accounts, int callers, CancellationToken cancel)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = callers, CancellationToken = cancel };
        await Parallel.ForEachAsync(Enumerable.Range(0, accounts.Ids.Count), parallel, async (account, token) =>
        {
            var id = accounts.Ids[account];
            using var response = await client.PostAsJsonAsync(
                new Uri("/api/accounts", UriKind.Relative), new { accountId = id, customerId = SoakAccounts.CustomerOf(account), currency = SoakAccounts.CurrencyOf(account) }, token);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"Opening {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(token)}");
            }

            if (account < accounts.Mixed && await commands.SendAsync(account, SoakAccounts.OpeningCents) is not > 0)
            {
                throw new InvalidOperationException($"The opening deposit into {id} was not applied.");
            }
        });
    }

    /// <summary>Every sampling period: the period's figures and every process's resident memory at its end.</summary>
    private static async Task SampleAsync(SoakOptions options, LocalClusterScript cluster, SoakMeter meter, TimeSpan start, List<SoakSample> samples, CancellationToken stop)
    {
        var c = CultureInfo.InvariantCulture;
        var cpu = new MachineCpu();
        var count = (int)(options.Duration / options.SampleEvery);
        for (var k = 1; k <= count; k++)
        {
            var due = start + (options.SampleEvery * k);
            if (!await WaitUntilAsync(meter, due, stop))
            {
                return;
            }

            var interval = meter.Swap();
            int?[] pids = [.. Enumerable.Range(1, LocalClusterScript.Silos).Select(n => cluster.PidOf($"{n}"))];
            double?[] silos = [.. pids.Select(ProcessMemory.ResidentMegabytes)];
            var frontEnd = cluster.PidOf("frontend");
            var sample = SoakSample.From(
                (due - start).TotalSeconds,
                options.SampleEvery.TotalSeconds,
                interval,
                silos,
                ProcessMemory.ResidentMegabytes(frontEnd),
                ProcessMemory.ResidentMegabytes(Environment.ProcessId),
                cpu.Sample([.. pids.Append(frontEnd).Append(cluster.PostmasterPid).OfType<int>()]));
            samples.Add(sample);
            Console.WriteLine(string.Create(c,
                $"[soak] {sample.AtSeconds,5:0} s: {sample.CommandsPerSecond,6:N0} commands/s p50 {sample.CommandP50Ms:0.0} p99 {sample.CommandP99Ms:0.0} ms, {sample.ReadsPerSecond:N0} reads/s, lag p99 summary {sample.SummaryLagP99Ms:0} ledger {sample.LedgerLagP99Ms:0} ms, RSS {string.Join("/", silos.Select(s => s is { } mb ? mb.ToString("0", c) : "-"))} front end {sample.FrontEndRssMb:0} MB, failed {sample.Failed}/{sample.ReadFailures}, CPU others {sample.Cpu?.Other:0.00} idle {sample.Cpu?.Idle:0.00}"));
        }
    }

    /// <summary>Kills silo 1, 2, 3, 1, ... at half a period, then every period; gives why it stopped early, if it did.</summary>
    private static async Task<string?> KillAsync(SoakOptions options, LocalClusterScript cluster, SoakMeter meter, TimeSpan start, List<SiloKill> kills, CancellationTokenSource run)
    {
        for (var k = 0; ; k++)
        {
            var due = start + (options.KillEvery * (k + 0.5));
            if (due >= start + options.Duration || !await WaitUntilAsync(meter, due, run.Token))
            {
                return null;
            }

            var silo = (k % LocalClusterScript.Silos) + 1;
            var pid = cluster.PidOf($"{silo}");
            var at = (meter.Now - start).TotalSeconds;
            var clock = Stopwatch.StartNew();
            try
            {
                await cluster.KillAsync(silo);
                await cluster.RestartAsync(silo);
                kills.Add(new SiloKill(at, silo, pid, clock.Elapsed.TotalSeconds, null));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[soak] {at:0} s: silo {silo} (pid {pid}) killed, ready again after {clock.Elapsed.TotalSeconds:0.0} s"));
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException && run.IsCancellationRequested)
            {
                // Ctrl+C in a terminal reaches the script too: an interrupted restart is no verdict on the silo.
                Console.WriteLine($"[soak] the restart of silo {silo} was interrupted: {ex.Message}");
                return null;
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                var why = $"silo {silo} killed at {at:0} s did not come back: {ex.Message}\nLast lines of its log:\n{cluster.LogTail($"{silo}")}";
                kills.Add(new SiloKill(at, silo, pid, null, why));
                Console.WriteLine($"[soak] {why}");
                await run.CancelAsync();
                return why;
            }
        }
    }

    private static List<SoakWindow> Windows(SoakOptions options, List<SoakSample> samples, List<SiloKill> kills)
    {
        var windows = new List<SoakWindow>();
        var length = options.Window.TotalSeconds;
        for (var n = 0; n * length < options.Duration.TotalSeconds; n++)
        {
            var (from, to) = (n * length, Math.Min((n + 1) * length, options.Duration.TotalSeconds));
            var inside = samples.Where(s => s.AtSeconds > from && s.AtSeconds <= to).ToList();
            if (inside.Count > 0)
            {
                windows.Add(SoakWindow.From(n + 1, from, to, inside, options.SampleEvery.TotalSeconds, options.Settle, kills));
            }
        }

        return windows;
    }

    /// <summary>Waits until the meter's clock reaches <paramref name="due"/>; false when stopped first.</summary>
    private static async Task<bool> WaitUntilAsync(SoakMeter meter, TimeSpan due, CancellationToken stop)
    {
        var left = due - meter.Now;
        try
        {
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left, stop);
            }

            return !stop.IsCancellationRequested;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
