using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrleansCqrs.Benchmarks.Soak;

/// <summary>
/// Whether the read models a user reads (every account summary without minVersion, the bank totals) equal what the
/// audited log implies, polled until they do or <see cref="Deadline"/> has passed.
/// </summary>
public static class ReadModelComparison
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private const int DifferencesKept = 50;

    /// <summary>Polls until every summary and the bank totals equal the log, or the deadline; gives what still differs.</summary>
    internal static async Task<(IReadOnlyList<string> Differences, double? AgreedAfterSeconds)> WaitUntilEqualAsync(HttpClient client, SoakAccounts accounts, AccountInLog?[] log)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var differences = await DifferencesAsync(client, accounts, log);
            if (differences.Count == 0)
            {
                return (differences, clock.Elapsed.TotalSeconds);
            }

            if (clock.Elapsed > Deadline)
            {
                return ([.. differences.Take(DifferencesKept), .. differences.Count > DifferencesKept ? [$"... and {differences.Count - DifferencesKept} more"] : Array.Empty<string>()], null);
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
}
