using System.Collections.Immutable;
using OrleansCqrs.Bank.Accounts.Summary;

namespace OrleansCqrs.Bank.Customers;

/// <summary>All accounts of a customer, and what they hold per currency.</summary>
[GenerateSerializer, Immutable, Alias("bank.customer.portfolio.v1")]
public sealed record CustomerPortfolio(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] ImmutableArray<AccountSummary> Accounts,
    [property: Id(2)] ImmutableArray<CurrencyBalance> Balances)
{
    public static CustomerPortfolio Of(string customerId, IEnumerable<AccountSummary> accounts)
    {
        var sorted = accounts.OrderBy(a => a.AccountId, StringComparer.Ordinal).ToImmutableArray();
        var balances = sorted
            .GroupBy(a => a.Currency, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new CurrencyBalance(g.Key, g.Sum(a => a.Balance), g.Count()))
            .ToImmutableArray();
        return new CustomerPortfolio(customerId, sorted, balances);
    }
}

/// <summary>What a customer holds in one currency, over how many accounts.</summary>
[GenerateSerializer, Immutable, Alias("bank.customer.currency-balance.v1")]
public sealed record CurrencyBalance(
    [property: Id(0)] string Currency,
    [property: Id(1)] decimal Balance,
    [property: Id(2)] int Accounts);
