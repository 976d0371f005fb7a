using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrleansCqrs.Cluster.Tests;

/// <summary>
/// What became of one command the load sent. Applied: acknowledged with 200, its event is at Version of the
/// account's stream. Rejected: acknowledged as a typed rejection (insufficient funds), nothing written. Latency runs
/// from the first attempt to the acknowledgement, retries included; Failure says why it never was acknowledged.
/// </summary>
public sealed record CommandOutcome(
    string AccountId, string Operation, decimal Amount, bool Applied, bool Rejected, long Version,
    TimeSpan Started, TimeSpan Latency, int Attempts, string? Failure);

/// <summary>
/// Deposits and withdrawals on a fixed set of accounts from concurrent workers spread over the front ends, as a
/// careful client sends them: each command has its own Idempotency-Key and is sent again with the same key after a
/// 503 or a lost connection, until it is acknowledged.
/// </summary>
public sealed class BankLoad(IReadOnlyList<HttpClient> frontEnds, IReadOnlyList<string> accounts)
{
    /// <summary>How long a command may keep failing before the load gives up on it (and the test fails).</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(60);

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _acknowledged;

    /// <summary>Commands acknowledged so far (applied or rejected): how far the load has got.</summary>
    public int Acknowledged => Volatile.Read(ref _acknowledged);

    /// <summary>Time since the load was created: the time line of <see cref="CommandOutcome.Started"/>.</summary>
    public TimeSpan Now => _clock.Elapsed;

    public async Task<IReadOnlyList<CommandOutcome>> RunAsync(int workers, CancellationToken stop)
    {
        var runs = Enumerable.Range(0, workers).Select(w => Task.Run(() => WorkAsync(w, stop), CancellationToken.None));
        return [.. (await Task.WhenAll(runs)).SelectMany(o => o)];
    }

    /// <summary>
    /// Readers beside the writers: account summaries, portfolios and totals, each read once (no retry by the client:
    /// the front end rides out a failover itself). Gives every read's latency, and what failed.
    /// </summary>
    public async Task<(IReadOnlyList<TimeSpan> Latencies, IReadOnlyList<string> Failures)> ReadAsync(int readers, CancellationToken stop)
    {
        var runs = Enumerable.Range(0, readers).Select(r => Task.Run(() => ReadLoopAsync(r, stop), CancellationToken.None));
        var results = await Task.WhenAll(runs);
        return ([.. results.SelectMany(r => r.Latencies)], [.. results.SelectMany(r => r.Failures)]);
    }

    private async Task<(List<TimeSpan> Latencies, List<string> Failures)> ReadLoopAsync(int reader, CancellationToken stop)
    {
        var random = new Random(1000 + reader);
        var client = frontEnds[reader % frontEnds.Count];
        var latencies = new List<TimeSpan>();
        var failures = new List<string>();
        while (!stop.IsCancellationRequested)
        {
            var account = accounts[random.Next(accounts.Count)];
            var path = random.Next(10) switch
            {
                0 => "/api/bank/totals",
                1 => "/api/customers/cust-0/portfolio",
                _ => $"/api/accounts/{account}",
            };
            var started = Now;
            try
            {
                using var response = await client.GetAsync(path, CancellationToken.None);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Add($"{path} at {started.TotalSeconds:0.0} s: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(CancellationToken.None)}");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                failures.Add($"{path} at {started.TotalSeconds:0.0} s: {ex.Message}");
            }

            latencies.Add(Now - started);
        }

        return (latencies, failures);
    }

    private async Task<List<CommandOutcome>> WorkAsync(int worker, CancellationToken stop)
    {
        var random = new Random(worker);
        var client = frontEnds[worker % frontEnds.Count];
        var outcomes = new List<CommandOutcome>();
        while (!stop.IsCancellationRequested)
        {
            var account = accounts[random.Next(accounts.Count)];
            var operation = random.Next(10) < 7 ? "deposit" : "withdraw";
            var amount = random.Next(1, 10_000) / 100m;
            outcomes.Add(await SendAsync(client, account, operation, amount));
        }

        return outcomes;
    }

    private async Task<CommandOutcome> SendAsync(HttpClient client, string account, string operation, decimal amount)
    {
        var key = Guid.NewGuid().ToString("N");
        var started = Now;
        string? failure = null;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/accounts/{account}/{operation}")
                {
                    Content = JsonContent.Create(new { amount }),
                };
                request.Headers.Add("Idempotency-Key", key);
                using var response = await client.SendAsync(request);
                switch (response.StatusCode)
                {
                    case HttpStatusCode.OK:
                        Interlocked.Increment(ref _acknowledged);
                        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                        return new(account, operation, amount, true, false, body.GetProperty("version").GetInt64(), started, Now - started, attempt, null);
                    case HttpStatusCode.Conflict:
                        Interlocked.Increment(ref _acknowledged);
                        return new(account, operation, amount, false, true, 0, started, Now - started, attempt, null);
                    case HttpStatusCode.ServiceUnavailable:
                        failure = "503";
                        break;
                    default:
                        return new(account, operation, amount, false, false, 0, started, Now - started, attempt,
                            $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                failure = ex.Message;
            }

            if (Now - started > GiveUpAfter)
            {
                return new(account, operation, amount, false, false, 0, started, Now - started, attempt, $"gave up after {attempt} attempts: {failure}");
            }

            await Task.Delay(100);
        }
    }
}
