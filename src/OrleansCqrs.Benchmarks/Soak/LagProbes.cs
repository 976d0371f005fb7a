using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace OrleansCqrs.Benchmarks.Soak;

/// <summary>
/// Projection lag as a reader sees it, without minVersion (which would wait for the version and hide the lag):
/// <list type="bullet">
/// <item>summary: a probe deposits 1 cent into its own account, then polls the plain summary every 5 ms until it
/// shows the acknowledged version; lag = acknowledgement to first read that shows it.</item>
/// <item>ledger: once a second, the log head (global_position, recorded_at) from cqrs_events, then bank totals are
/// polled until their position covers it; lag = recorded_at of the head to the first answer that covers it.</item>
/// </list>
/// Polls start every 5 ms (summary) or 20 ms (ledger) and slow down to a tenth of the time waited so far, so a
/// lag is measured to within about 10% without a failover turning the probes into a read storm. A probe that does
/// not see its write within <see cref="Deadline"/> counts as a timeout (and records the deadline).
/// </summary>
public sealed class LagProbes(HttpClient client, SoakMeter meter, SoakCommands commands, IReadOnlyList<string> accountIds, string logConnectionString)
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan SummaryPoll = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan LedgerPoll = TimeSpan.FromMilliseconds(20);

    public Task RunSummaryProbesAsync(IEnumerable<int> probeAccounts, TimeSpan every, CancellationToken stop) =>
        Task.WhenAll(probeAccounts.Select(account => Task.Run(() => ProbeSummaryAsync(account, every, stop), CancellationToken.None)));

    public async Task RunLedgerProbeAsync(TimeSpan every, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var next = Stopwatch.GetTimestamp();
            try
            {
                var (position, recordedAt) = await HeadAsync(logConnectionString);
                if (position > 0)
                {
                    await WaitForTotalsAsync(position, recordedAt);
                }
            }
            catch (NpgsqlException ex)
            {
                // The database is never killed in the soak; if it stumbles, say so and probe again.
                meter.Note($"lag probe: reading the log head failed: {ex.Message}");
            }

            await PaceAsync(next, every, stop);
        }
    }

    private static async Task<(long Position, DateTimeOffset RecordedAt)> HeadAsync(string connectionString)
    {
        // A pooled connection per probe: one that broke is not used again.
        await using var log = new NpgsqlConnection(connectionString);
        await log.OpenAsync(CancellationToken.None);
        await using var head = new NpgsqlCommand("SELECT global_position, recorded_at FROM cqrs_events ORDER BY global_position DESC LIMIT 1", log);
        await using var reader = await head.ExecuteReaderAsync(CancellationToken.None);
        return await reader.ReadAsync(CancellationToken.None) ? (reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1)) : (0, default);
    }

    private async Task ProbeSummaryAsync(int account, TimeSpan every, CancellationToken stop)
    {
        var path = new Uri($"/api/accounts/{accountIds[account]}", UriKind.Relative);
        while (!stop.IsCancellationRequested)
        {
            var next = Stopwatch.GetTimestamp();
            if (await commands.SendAsync(account, 1) is > 0 and var version)
            {
                var acknowledged = Stopwatch.GetTimestamp();
                await PollAsync(
                    async () => (await ReadJsonAsync(path))?.GetProperty("version").GetInt64() >= version,
                    acknowledged,
                    SummaryPoll,
                    $"the summary of {accountIds[account]} to show version {version}");
                meter.Current.SummaryLag.Record(Math.Min(Deadline.TotalMilliseconds, Stopwatch.GetElapsedTime(acknowledged).TotalMilliseconds));
            }

            await PaceAsync(next, every, stop);
        }
    }

    private async Task WaitForTotalsAsync(long position, DateTimeOffset recordedAt)
    {
        var path = new Uri("/api/bank/totals", UriKind.Relative);
        var started = Stopwatch.GetTimestamp();
        await PollAsync(
            async () => (await ReadJsonAsync(path))?.GetProperty("position").GetInt64() >= position,
            started,
            LedgerPoll,
            $"bank totals to cover position {position}");
        // Same machine, same clock: the database's recorded_at against ours.
        meter.Current.LedgerLag.Record(Math.Max(0, (DateTimeOffset.UtcNow - recordedAt).TotalMilliseconds));
    }

    /// <summary>Polls every <paramref name="poll"/> until <paramref name="seen"/>, or <see cref="Deadline"/> after <paramref name="since"/>.</summary>
    private async Task PollAsync(Func<Task<bool>> seen, long since, TimeSpan poll, string what)
    {
        while (!await seen())
        {
            if (Stopwatch.GetElapsedTime(since) > Deadline)
            {
                meter.Current.LagTimedOut();
                meter.Note($"lag probe: {what} took over {Deadline.TotalSeconds:0} s");
                return;
            }

            var waited = Stopwatch.GetElapsedTime(since) / 10;
            await Task.Delay(waited > poll ? waited : poll);
        }
    }

    /// <summary>A read's body, or null when it failed (during a failover): the probe just polls again.</summary>
    private async Task<JsonElement?> ReadJsonAsync(Uri path)
    {
        try
        {
            using var response = await client.GetAsync(path);
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    private static async Task PaceAsync(long startedAt, TimeSpan every, CancellationToken stop)
    {
        var left = every - Stopwatch.GetElapsedTime(startedAt);
        if (left > TimeSpan.Zero && !stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(left, stop);
            }
            catch (OperationCanceledException)
            {
                // Stopping: the loop ends.
            }
        }
    }
}
