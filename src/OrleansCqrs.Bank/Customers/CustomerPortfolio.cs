using System.Collections.Immutable;
using OrleansCqrs.Bank.Accounts.Summary;
using OrleansCqrs.Bank.Ledger;

namespace OrleansCqrs.Bank.Customers;

/// <summary>
/// All accounts of a customer, what they hold per currency, and the transfers out of them still running (their money
/// is in none of the balances until it arrives or comes back).
/// </summary>
[GenerateSerializer, Immutable, Alias("bank.customer.portfolio.v1")]
public sealed record CustomerPortfolio(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] ImmutableArray<AccountSummary> Accounts,
    [property: Id(2)] ImmutableArray<CurrencyBalance> Balances,
    [property: Id(3)] ImmutableArray<PendingTransfer> PendingTransfers)
{
    public static CustomerPortfolio Of(string customerId, IEnumerable<AccountSummary> accounts, IEnumerable<PendingTransfer> pendingTransfers)
    {
        var sorted = accounts.OrderBy(a => a.AccountId, StringComparer.Ordinal).ToImmutableArray();
        var balances = sorted
            .GroupBy(a => a.Currency, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new CurrencyBalance(g.Key, g.Sum(a => a.Balance), g.Count()))
            .ToImmutableArray();
        var pending = pendingTransfers
            .OrderBy(t => t.FromAccountId, StringComparer.Ordinal)
            .ThenBy(t => t.TransferId, StringComparer.Ordinal)
            .ToImmutableArray();
        return new CustomerPortfolio(customerId, sorted, balances, pending);
    }
}

/// <summary>What a customer holds in one currency, over how many accounts.</summary>
[GenerateSerializer, Immutable, Alias("bank.customer.currency-balance.v1")]
public sealed record CurrencyBalance(
    [property: Id(0)] string Currency,
    [property: Id(1)] decimal Balance,
    [property: Id(2)] int Accounts);
