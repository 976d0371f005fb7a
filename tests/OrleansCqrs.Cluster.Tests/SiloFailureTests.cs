using System.Net;
using System.Net.Http.Json;
using Npgsql;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.EventStore.Postgres;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Cluster.Tests;

/// <summary>
/// Three silo processes and two front ends on PostgreSQL, loaded through HTTP while silos are killed with SIGKILL
/// and restarted, or stopped with SIGTERM. Afterwards the event log is audited and every read model compared with it.
/// </summary>
public sealed class SiloFailureTests(PostgresServerFixture postgres, ITestOutputHelper output)
{
    private const int Accounts = 24;
    private const int Workers = 8;
    private const int Readers = 2;

    /// <summary>Commands acknowledged between two steps of a scenario: enough to be sure the cluster works on.</summary>
    private const int Progress = 150;

    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReadModelDeadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Commands_are_acknowledged_again_within_seconds_of_a_silo_crash_and_nothing_is_lost()
    {
        var report = await UnderLoadAsync("crash", silos: 3, frontEnds: 2, async (cluster, load) =>
        {
            var kills = new List<TimeSpan> { load.Now };
            await cluster.KillSiloAsync(2);
            await ProgressAsync(load, "after SIGKILL of silo 2");
            await cluster.RestartSiloAsync(2);
            await ProgressAsync(load, "after silo 2 came back");
            kills.Add(load.Now);
            await cluster.KillSiloAsync(3);
            await ProgressAsync(load, "after SIGKILL of silo 3");
            return kills;
        });
        Assert.True(report.LongestOutage < TimeSpan.FromSeconds(10), $"Commands failed for too long after a crash.\n{report.Summary}");
    }

    /// <summary>The crash scenario on the split layout: silo 1 writes, silos 2 and 3 read, and both readers crash.</summary>
    [Fact]
    public async Task On_the_split_layout_commands_and_reads_carry_on_through_read_silo_crashes_and_nothing_is_lost()
    {
        var report = await UnderLoadAsync(
            "split-crash",
            silos: 3,
            frontEnds: 2,
            async (cluster, load) =>
            {
                var kills = new List<TimeSpan> { load.Now };
                await cluster.KillSiloAsync(2);
                await ProgressAsync(load, "after SIGKILL of read silo 2");
                await cluster.RestartSiloAsync(2);
                await ProgressAsync(load, "after read silo 2 came back");
                kills.Add(load.Now);
                await cluster.KillSiloAsync(3);
                await ProgressAsync(load, "after SIGKILL of read silo 3");
                return kills;
            },
            roles: SplitLayout);
        Assert.True(report.LongestOutage < TimeSpan.FromSeconds(10), $"Commands failed for too long after a read silo crash.\n{report.Summary}");
    }

    /// <summary>One write silo and two read silos, as docker-compose.split.yml and LOCAL_CLUSTER_LAYOUT=split run them.</summary>
    public static readonly IReadOnlyList<string> SplitLayout = ["write", "read", "read"];

    [Fact]
    public async Task A_silo_stopped_with_sigterm_leaves_the_cluster_without_failing_a_command()
    {
        ServiceProcess? silo = null;
        await UnderLoadAsync(
            "drain",
            silos: 2,
            frontEnds: 1,
            async (cluster, load) =>
            {
                var stopped = load.Now;
                silo = await cluster.TerminateSiloAsync(1, TimeSpan.FromSeconds(40));
                output.WriteLine($"Silo 1 exited {(load.Now - stopped).TotalSeconds:0.0} s after SIGTERM.");
                await ProgressAsync(load, "after silo 1 stopped");
                return [stopped];
            },
            async (database, outcomes) =>
            {
                Assert.Equal(0, silo!.ExitCode);
                Assert.All(outcomes, o => Assert.Equal(1, o.Attempts));
                Assert.Equal(SiloStatusDead, await MembershipStatusAsync(database, silo));
            });
    }

    /// <summary>
    /// Starts a cluster on a fresh database, opens the accounts and loads it with writers and readers; once the load
    /// has made progress, <paramref name="disrupt"/> does its damage and says when each failure began. Then the load
    /// stops, <paramref name="verify"/> checks what is particular to the scenario, and the log is audited and every
    /// read model compared with it. The processes' output is kept in the test output when anything fails.
    /// </summary>
    private async Task<LoadReport> UnderLoadAsync(
        string name,
        int silos,
        int frontEnds,
        Func<LocalCluster, BankLoad, Task<List<TimeSpan>>> disrupt,
        Func<string, IReadOnlyList<CommandOutcome>, Task>? verify = null,
        IReadOnlyList<string>? roles = null)
    {
        var database = await postgres.Server.CreateDatabaseAsync(name);
        await using var cluster = await LocalCluster.StartAsync(database, silos, frontEnds, roles: roles);
        try
        {
            // The load and the audits act as staff: they move money on every account and read bank-wide data.
            var clients = cluster.FrontEnds.Select(f => f.CreateClient(TestTokens.Shared.Operator())).ToList();
            await NoDevelopmentIssuerAsync(clients[0]);
            var accounts = await OpenAccountsAsync(clients[0]);
            var load = new BankLoad(clients, accounts);
            using var stop = new CancellationTokenSource();
            var running = load.RunAsync(Workers, stop.Token);
            var reading = load.ReadAsync(Readers, stop.Token);

            await ProgressAsync(load, "before the first failure");
            var failures = await disrupt(cluster, load);
            await stop.CancelAsync();
            var outcomes = await running;
            var reads = await reading;
            var loadEnded = load.Now;

            var report = Report(outcomes, failures, reads.Latencies);
            output.WriteLine(report.Summary);
            Assert.True(reads.Failures.Count == 0, $"{reads.Failures.Count} reads failed:\n{string.Join("\n", reads.Failures.Take(10))}");
            if (verify is not null)
            {
                await verify(database, outcomes);
            }

            var log = await AuditAsync(database, outcomes);
            await ReadModelsAgreeAsync(clients[0], log, load, loadEnded);
            return report;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            output.WriteLine(cluster.Output);
            throw;
        }
    }

    /// <summary>A front end configured by silo-config/cluster-frontend.env hands out no development tokens.</summary>
    private static async Task NoDevelopmentIssuerAsync(HttpClient client)
    {
        using var body = new StringContent("""{"roles":["operator"]}""", System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/api/dev/token", body);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private const int SiloStatusDead = 6;

    private static async Task<List<string>> OpenAccountsAsync(HttpClient client)
    {
        var accounts = new List<string>();
        for (var i = 0; i < Accounts; i++)
        {
            var id = $"acct-{i:00}";
            using var response = await client.PostAsJsonAsync("/api/accounts", new { accountId = id, customerId = $"cust-{i % 5}", currency = i % 3 == 0 ? "USD" : "EUR" });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            accounts.Add(id);
        }

        return accounts;
    }

    private static async Task ProgressAsync(BankLoad load, string when)
    {
        var target = load.Acknowledged + Progress;
        await Eventually.ReturnsAsync(() => Task.FromResult(load.Acknowledged), n => n >= target, StepTimeout, $"{Progress} more commands acknowledged {when}");
    }

    /// <summary>Checks the log against what was acknowledged: nothing lost, nothing applied twice, money conserved.</summary>
    private static async Task<AuditedLog> AuditAsync(string database, IReadOnlyList<CommandOutcome> outcomes)
    {
        Assert.All(outcomes, o => Assert.True(o.Failure is null, $"{o.Operation} {o.Amount} on {o.AccountId}: {o.Failure}"));
        await using var store = new PostgresEventStore(new PostgresEventStoreOptions { ConnectionString = database });
        var log = await LogAudit.ReadAsync(store);

        foreach (var applied in outcomes.Where(o => o.Applied))
        {
            Assert.True(log.Events.TryGetValue((applied.AccountId, applied.Version), out var recorded), $"Acknowledged {applied.Operation} {applied.AccountId}@{applied.Version} is not in the log.");
            var (amount, deposit) = recorded switch
            {
                MoneyDeposited d => (d.Amount, true),
                MoneyWithdrawn w => (w.Amount, false),
                _ => (0m, false),
            };
            Assert.True(amount == applied.Amount && deposit == (applied.Operation == "deposit"), $"{applied.AccountId}@{applied.Version} is {recorded}, acknowledged as {applied.Operation} {applied.Amount}.");
        }

        foreach (var account in log.Accounts.Values)
        {
            var mine = outcomes.Where(o => o.Applied && o.AccountId == account.AccountId).ToList();
            // Every change in the log was acknowledged to someone: none was applied without its command being answered.
            Assert.Equal(mine.Count(o => o.Operation == "deposit"), account.Deposits);
            Assert.Equal(mine.Count(o => o.Operation == "withdraw"), account.Withdrawals);
            var acknowledgedBalance = mine.Sum(o => o.Operation == "deposit" ? o.Amount : -o.Amount);
            Assert.True(acknowledgedBalance == account.Balance, $"{account.AccountId}: acknowledged commands leave {acknowledgedBalance}, the log {account.Balance}.");
        }

        return log;
    }

    private static async Task ReadModelsAgreeAsync(HttpClient client, AuditedLog log, BankLoad load, TimeSpan loadEnded)
    {
        var left = ReadModelDeadline - (load.Now - loadEnded);
        await Eventually.ReturnsAsync(
            () => ReadModels.DifferencesAsync(client, log),
            differences => differences.Count == 0,
            left > TimeSpan.Zero ? left : TimeSpan.Zero,
            $"every read model to equal the log within {ReadModelDeadline.TotalSeconds:0} s of the end of the load");
    }

    private static async Task<int> MembershipStatusAsync(string database, ServiceProcess silo)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT status FROM orleans_membership WHERE silo_name LIKE '%-' || @port ORDER BY generation DESC LIMIT 1", connection);
        command.Parameters.AddWithValue("port", silo.Environment["OrleansCqrs__SiloPort"]);
        return (int)(await command.ExecuteScalarAsync() ?? -1);
    }

    private sealed record LoadReport(TimeSpan LongestOutage, string Summary);

    /// <summary>
    /// The longest outage is the longest time, from a failure on, during which no command was acknowledged at all;
    /// the slowest command includes the retries its client made.
    /// </summary>
    private static LoadReport Report(IReadOnlyList<CommandOutcome> outcomes, List<TimeSpan> failures, IReadOnlyList<TimeSpan> reads)
    {
        var acknowledged = outcomes.Where(o => o.Applied || o.Rejected).Select(o => o.Started + o.Latency).Order().ToList();
        // Each failure's window ends where the next one begins.
        var outages = failures.Select((failure, i) =>
        {
            var end = i + 1 < failures.Count ? failures[i + 1] : TimeSpan.MaxValue;
            var previous = acknowledged.LastOrDefault(t => t <= failure, failure);
            var gap = TimeSpan.Zero;
            foreach (var at in acknowledged.Where(t => t > failure && t <= end))
            {
                gap = at - previous > gap ? at - previous : gap;
                previous = at;
            }

            return gap;
        }).ToList();
        var latencies = outcomes.Select(o => o.Latency.TotalMilliseconds).Order().ToList();
        var readLatencies = reads.Select(r => r.TotalMilliseconds).Order().ToList();
        var summary = $"""
            {outcomes.Count} commands: {outcomes.Count(o => o.Applied)} applied, {outcomes.Count(o => o.Rejected)} rejected (insufficient funds), {outcomes.Count(o => o.Failure is not null)} failed; {outcomes.Count(o => o.Attempts > 1)} needed a retry by the client.
            Latency: median {latencies[latencies.Count / 2]:0} ms, p99 {latencies[(int)(latencies.Count * 0.99)]:0} ms, slowest {latencies[^1]:0} ms.
            {readLatencies.Count} reads: median {readLatencies[readLatencies.Count / 2]:0} ms, p99 {readLatencies[(int)(readLatencies.Count * 0.99)]:0} ms, slowest {readLatencies[^1]:0} ms.
            Longest time without any acknowledgement after each failure: {string.Join(", ", outages.Select(o => $"{o.TotalSeconds:0.00} s"))}.
            """;
        return new LoadReport(outages.Max(), summary);
    }
}
