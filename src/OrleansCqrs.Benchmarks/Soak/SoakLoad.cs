using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace OrleansCqrs.Benchmarks.Soak;

/// <summary>
/// The mixed load: a closed loop of callers, each starting its next call when the last one answered. Per call: 45%
/// deposits, 15% withdrawals (1 cent to 100.00 on a random account), 18% plain account summaries, 8% the summary of
/// the caller's own last write with minVersion (waitMs 2000), 7% bank totals, 7% a statement page. Reads are sent
/// once: a failure is counted, not retried.
/// </summary>
public sealed class SoakLoad(HttpClient client, SoakMeter meter, SoakCommands commands, IReadOnlyList<string> accountIds, int mixedAccounts)
{
    public const int ReadWaitMs = 2000;

    public Task RunAsync(int callers, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(() => CallAsync(caller, stop), CancellationToken.None)));

    private async Task CallAsync(int caller, CancellationToken stop)
    {
        var random = new Random(caller);
        (int Account, long Version)? lastWrite = null;
        // Stopping lets the call in flight finish (retries included): an abandoned command would blur the audit.
        while (!stop.IsCancellationRequested)
        {
            var account = random.Next(mixedAccounts);
            var id = accountIds[account];
            var roll = random.Next(100);
            if (roll < 60)
            {
                var cents = random.Next(1, 10_000) * (roll < 45 ? 1L : -1L);
                if (await commands.SendAsync(account, cents) is > 0 and var version)
                {
                    lastWrite = (account, version);
                }
            }
            else if (roll < 78)
            {
                await ReadAsync($"/api/accounts/{id}", null);
            }
            else if (roll < 86 && lastWrite is { } written)
            {
                await ReadAsync($"/api/accounts/{accountIds[written.Account]}?minVersion={written.Version}&waitMs={ReadWaitMs}", written.Version);
            }
            else if (roll < 93)
            {
                await ReadAsync("/api/bank/totals", null);
            }
            else
            {
                await ReadAsync($"/api/accounts/{id}/statement?limit=20", null);
            }
        }
    }

    private async Task ReadAsync(string path, long? minVersion)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Failed($"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                return;
            }

            var stale = response.Headers.TryGetValues("X-Read-Stale", out var flags) && flags.Contains("true", StringComparer.OrdinalIgnoreCase);
            if (minVersion is { } wanted && !stale)
            {
                using var answer = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
                var version = answer.RootElement.GetProperty("version").GetInt64();
                if (version < wanted)
                {
                    // Invariant 7: at the version asked for, or flagged stale; anything else is a wrong answer.
                    Failed($"GET {path}: version {version} without X-Read-Stale");
                    return;
                }
            }
            else
            {
                await response.Content.LoadIntoBufferAsync();
            }

            meter.Current.Read(Stopwatch.GetElapsedTime(started).TotalMilliseconds, stale);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            Failed($"GET {path}: {ex.Message}");
        }
    }

    private void Failed(string what)
    {
        meter.Current.ReadFailed();
        meter.Note(what);
    }
}
