using System.Net.Http.Json;
using System.Text.Json;

namespace OrleansCqrs.Cluster.Tests;

/// <summary>Compares what the front end serves with what the audited log implies.</summary>
public static class ReadModels
{
    /// <summary>Every difference between the read models and the log; empty when they agree.</summary>
    public static async Task<IReadOnlyList<string>> DifferencesAsync(HttpClient client, AuditedLog log)
    {
        var differences = new List<string>();
        foreach (var account in log.Accounts.Values)
        {
            var served = await client.GetFromJsonAsync<JsonElement>($"/api/accounts/{account.AccountId}");
            Compare(differences, $"account {account.AccountId}", account, served);
        }

        foreach (var customer in log.Accounts.Values.GroupBy(a => a.CustomerId))
        {
            var portfolio = await client.GetFromJsonAsync<JsonElement>($"/api/customers/{customer.Key}/portfolio");
            var served = portfolio.GetProperty("accounts").EnumerateArray().ToDictionary(a => a.GetProperty("accountId").GetString()!);
            foreach (var account in customer)
            {
                if (served.TryGetValue(account.AccountId, out var entry))
                {
                    Compare(differences, $"portfolio of {customer.Key}, account {account.AccountId}", account, entry);
                }
                else
                {
                    differences.Add($"portfolio of {customer.Key} lacks {account.AccountId}");
                }
            }
        }

        var totals = await client.GetFromJsonAsync<JsonElement>("/api/bank/totals");
        if (totals.GetProperty("accounts").GetInt64() != log.Accounts.Count)
        {
            differences.Add($"bank totals count {totals.GetProperty("accounts")} accounts, the log {log.Accounts.Count}");
        }

        var currencies = totals.GetProperty("currencies").EnumerateArray().ToDictionary(c => c.GetProperty("currency").GetString()!);
        foreach (var currency in log.Accounts.Values.GroupBy(a => a.Currency))
        {
            var balance = currency.Sum(a => a.Balance);
            var deposits = currency.Sum(a => a.Deposits);
            var withdrawals = currency.Sum(a => a.Withdrawals);
            if (!currencies.TryGetValue(currency.Key, out var served))
            {
                differences.Add($"bank totals lack {currency.Key}");
            }
            else if (served.GetProperty("balance").GetDecimal() != balance
                || served.GetProperty("deposits").GetInt64() != deposits
                || served.GetProperty("withdrawals").GetInt64() != withdrawals)
            {
                differences.Add($"bank totals for {currency.Key}: served {served}, the log implies balance {balance}, {deposits} deposits, {withdrawals} withdrawals");
            }
        }

        return differences;
    }

    private static void Compare(List<string> differences, string what, AccountFromLog expected, JsonElement served)
    {
        var balance = served.GetProperty("balance").GetDecimal();
        var version = served.GetProperty("version").GetInt64();
        if (balance != expected.Balance || version != expected.Version)
        {
            differences.Add($"{what}: served balance {balance} at version {version}, the log implies {expected.Balance} at version {expected.Version}");
        }
    }
}
