using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace OrleansCqrs.Benchmarks.Soak;

/// <summary>
/// After the load: reads the whole event log (cqrs_events, in global order) and checks, per account, that versions
/// are gapless, no balance goes below zero, every acknowledged command is in the log at the version it was told with
/// its amount (nothing lost), and every change in the log was acknowledged to someone or belongs to a command whose
/// answer never came (nothing applied twice); no command id twice in a stream; money conserved. Then waits until the
/// read models (plain summaries, bank totals) equal the log.
/// </summary>
public static class EventLogAudit
{
    private const string StreamPrefix = "bank.account-";
    private const int ProblemsKept = 50;
    public static readonly TimeSpan ReadModelDeadline = TimeSpan.FromSeconds(60);

    public static async Task<AuditResult> RunAsync(string connectionString, CommandLedger ledger, SoakAccounts accounts, HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(accounts);
        var problems = new List<string>();
        var problemCount = 0;
        void Problem(string what)
        {
            if (++problemCount <= ProblemsKept)
            {
                problems.Add(what);
            }
        }

        var index = accounts.Ids.Select((id, i) => (id, i)).ToDictionary(a => StreamPrefix + a.id, a => a.i, StringComparer.Ordinal);
        var log = new AccountInLog[accounts.Ids.Count];
        var acknowledged = Enumerable.Range(0, accounts.Ids.Count).Select(ledger.AppliedTo).ToArray();
        var unacknowledged = Enumerable.Range(0, accounts.Ids.Count).Select(_ => new List<long>()).ToArray();
        long events = 0;

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var read = new NpgsqlCommand("SELECT stream_id, version, event_type, data::text FROM cqrs_events ORDER BY global_position", connection))
        await using (var rows = await read.ExecuteReaderAsync())
        {
            while (await rows.ReadAsync())
            {
                events++;
                var stream = rows.GetString(0);
                var version = rows.GetInt64(1);
                var type = rows.GetString(2);
                if (!index.TryGetValue(stream, out var account))
                {
                    Problem($"{stream}@{version} ({type}) is not a stream the soak wrote");
                    continue;
                }

                var state = log[account] ??= new AccountInLog();
                if (version != state.Version + 1)
                {
                    Problem($"{stream} jumps from version {state.Version} to {version}");
                }

                state.Version = version;
                if (version == 1)
                {
                    if (!type.Contains("opened", StringComparison.Ordinal))
                    {
                        Problem($"{stream} starts with {type}");
                    }

                    continue;
                }

                var sign = type.Contains("deposited", StringComparison.Ordinal) ? 1 : type.Contains("withdrawn", StringComparison.Ordinal) ? -1 : 0;
                if (sign == 0)
                {
                    Problem($"{stream}@{version} is a {type}, which the soak never asked for");
                    continue;
                }

                using var data = JsonDocument.Parse(rows.GetString(3));
                var cents = sign * (long)(data.RootElement.GetProperty("amount").GetDecimal() * 100);
                state.BalanceCents += cents;
                state.Deposits += sign > 0 ? 1 : 0;
                state.Withdrawals += sign < 0 ? 1 : 0;
                if (state.BalanceCents < 0)
                {
                    Problem($"{stream} goes below zero at version {version}");
                }

                var mine = acknowledged[account];
                if (state.Cursor < mine.Count && mine[state.Cursor].Version == version)
                {
                    if (mine[state.Cursor].Cents != cents)
                    {
                        Problem($"{stream}@{version} moved {cents / 100m}, acknowledged as {mine[state.Cursor].Cents / 100m}");
                    }

                    state.Cursor++;
                }
                else
                {
                    unacknowledged[account].Add(cents);
                }
            }
        }

        long unknown = 0, landed = 0;
        decimal logBalance = 0, acknowledgedBalance = 0;
        for (var account = 0; account < log.Length; account++)
        {
            var id = accounts.Ids[account];
            var state = log[account];
            var mine = acknowledged[account];
            if (state is null)
            {
                Problem($"{id} is not in the log at all");
                continue;
            }

            foreach (var lost in mine.Skip(state.Cursor))
            {
                Problem($"acknowledged {lost.Cents / 100m} on {id} at version {lost.Version} is not in the log (the stream ends at {state.Version})");
            }

            // A change nobody was told about must be one of the commands whose answer never came, amount for amount.
            var pending = ledger.UnknownFor(account).ToList();
            unknown += pending.Count;
            var landedCents = 0L;
            foreach (var cents in unacknowledged[account])
            {
                if (pending.Remove(cents))
                {
                    landed++;
                    landedCents += cents;
                }
                else
                {
                    Problem($"{id}: a change of {cents / 100m} in the log was never acknowledged (applied twice, or without an answer)");
                }
            }

            logBalance += state.BalanceCents / 100m;
            acknowledgedBalance += (mine.Sum(c => c.Cents) + landedCents) / 100m;
        }

        await using (var duplicates = new NpgsqlCommand(
            "SELECT count(*) FROM (SELECT 1 FROM cqrs_events WHERE command_id IS NOT NULL GROUP BY stream_id, command_id HAVING count(*) > 1) d", connection))
        {
            if ((long)(await duplicates.ExecuteScalarAsync())! is > 0 and var twice)
            {
                Problem($"{twice} command ids appear twice in one stream");
            }
        }

        if (logBalance != acknowledgedBalance)
        {
            Problem($"money: the log holds {logBalance}, the acknowledged commands leave {acknowledgedBalance}");
        }

        if (problemCount > ProblemsKept)
        {
            problems.Add($"... and {problemCount - ProblemsKept} more");
        }

        var (differences, agreedAfter) = await ReadModelsAsync(client, accounts, log);
        var applied = acknowledged.Sum(a => (long)a.Count);
        return new AuditResult(events, accounts.Ids.Count, applied, ledger.Rejected, unknown, landed, logBalance, acknowledgedBalance, problems, differences, agreedAfter);
    }

    /// <summary>Polls until every summary and the bank totals equal the log, or the deadline; gives what still differs.</summary>
    private static async Task<(IReadOnlyList<string> Differences, double? AgreedAfterSeconds)> ReadModelsAsync(HttpClient client, SoakAccounts accounts, AccountInLog?[] log)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var differences = await DifferencesAsync(client, accounts, log);
            if (differences.Count == 0)
            {
                return (differences, clock.Elapsed.TotalSeconds);
            }

            if (clock.Elapsed > ReadModelDeadline)
            {
                return ([.. differences.Take(ProblemsKept), .. differences.Count > ProblemsKept ? [$"... and {differences.Count - ProblemsKept} more"] : Array.Empty<string>()], null);
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    private static async Task<List<string>> DifferencesAsync(HttpClient client, SoakAccounts accounts, AccountInLog?[] log)
    {
        var differences = new List<string>();
        try
        {
            for (var account = 0; account < log.Length; account++)
            {
                if (log[account] is not { } expected)
                {
                    continue;
                }

                var served = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/accounts/{accounts.Ids[account]}", UriKind.Relative));
                var balance = served.GetProperty("balance").GetDecimal();
                var version = served.GetProperty("version").GetInt64();
                if (balance != expected.BalanceCents / 100m || version != expected.Version)
                {
                    differences.Add($"summary of {accounts.Ids[account]}: {balance} at version {version}, the log {expected.BalanceCents / 100m} at version {expected.Version}");
                }
            }

            var totals = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/bank/totals", UriKind.Relative));
            var opened = log.Count(a => a is not null);
            if (totals.GetProperty("accounts").GetInt64() != opened)
            {
                differences.Add($"bank totals count {totals.GetProperty("accounts")} accounts, the log {opened}");
            }

            var currencies = totals.GetProperty("currencies").EnumerateArray().ToDictionary(c => c.GetProperty("currency").GetString()!, StringComparer.Ordinal);
            foreach (var currency in Enumerable.Range(0, log.Length).Where(a => log[a] is not null).GroupBy(SoakAccounts.CurrencyOf))
            {
                var balance = currency.Sum(a => log[a]!.BalanceCents) / 100m;
                var deposits = currency.Sum(a => log[a]!.Deposits);
                var withdrawals = currency.Sum(a => log[a]!.Withdrawals);
                if (!currencies.TryGetValue(currency.Key, out var served))
                {
                    differences.Add($"bank totals lack {currency.Key}");
                }
                else if (served.GetProperty("balance").GetDecimal() != balance
                    || served.GetProperty("deposits").GetInt64() != deposits
                    || served.GetProperty("withdrawals").GetInt64() != withdrawals)
                {
                    differences.Add($"bank totals for {currency.Key}: served {served}, the log {balance} in {deposits} deposits and {withdrawals} withdrawals");
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
            differences.Add($"reading the read models failed: {ex.Message}");
        }

        return differences;
    }

    /// <summary>An account as the log implies it, and how far its acknowledged commands have been matched.</summary>
    private sealed class AccountInLog
    {
        public long Version { get; set; }

        public long BalanceCents { get; set; }

        public long Deposits { get; set; }

        public long Withdrawals { get; set; }

        public int Cursor { get; set; }
    }
}
