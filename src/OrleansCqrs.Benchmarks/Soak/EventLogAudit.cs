using System.Text.Json;
using Npgsql;

namespace OrleansCqrs.Benchmarks.Soak;

/// <summary>
/// After the load: reads the whole event log (cqrs_events, in global order) and checks, per account, that versions
/// are gapless, no balance goes below zero, every acknowledged command is in the log at the version it was told with
/// its amount (nothing lost), and every change in the log was acknowledged to someone or belongs to a command whose
/// answer never came (nothing applied twice); no command id twice in a stream; money conserved. Then waits until the
/// read models equal the log (<see cref="ReadModelComparison"/>).
/// </summary>
public static class EventLogAudit
{
    private const string StreamPrefix = "bank.account-";
    private const int ProblemsKept = 50;

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
        var log = new AccountInLog?[accounts.Ids.Count];
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

        var (differences, agreedAfter) = await ReadModelComparison.WaitUntilEqualAsync(client, accounts, log);
        var applied = acknowledged.Sum(a => (long)a.Count);
        return new AuditResult(events, accounts.Ids.Count, applied, ledger.Rejected, unknown, landed, logBalance, acknowledgedBalance, problems, differences, agreedAfter);
    }
}
