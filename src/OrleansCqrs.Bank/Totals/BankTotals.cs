using System.Collections.Immutable;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Events;

namespace OrleansCqrs.Bank.Totals;

/// <summary>
/// Totals over the accounts of one shard, or, summed, of the whole bank. A shard also remembers the currency of each
/// of its accounts, since deposits and withdrawals do not repeat it.
/// </summary>
[GenerateSerializer, Immutable, Alias("bank.totals.v1")]
public sealed record BankTotals(
    [property: Id(0)] long Accounts,
    [property: Id(1)] long OpenAccounts,
    [property: Id(2)] ImmutableSortedDictionary<string, CurrencyTotals> Currencies,
    [property: Id(3)] ImmutableDictionary<string, string> AccountCurrencies)
{
    public static BankTotals Empty { get; } = new(0, 0, ImmutableSortedDictionary<string, CurrencyTotals>.Empty, ImmutableDictionary<string, string>.Empty);

    /// <summary>The totals after one more event of account <paramref name="accountId"/> (pure).</summary>
    public BankTotals When(string accountId, IDomainEvent domainEvent) => domainEvent switch
    {
        AccountOpened e => this with
        {
            Accounts = Accounts + 1,
            OpenAccounts = OpenAccounts + 1,
            AccountCurrencies = AccountCurrencies.SetItem(accountId, e.Currency),
            Currencies = Currencies.ContainsKey(e.Currency) ? Currencies : Currencies.Add(e.Currency, CurrencyTotals.Zero(e.Currency)),
        },
        MoneyDeposited e => Change(accountId, t => t with { Balance = t.Balance + e.Amount, Deposits = t.Deposits + 1, DepositedAmount = t.DepositedAmount + e.Amount }),
        MoneyWithdrawn e => Change(accountId, t => t with { Balance = t.Balance - e.Amount, Withdrawals = t.Withdrawals + 1, WithdrawnAmount = t.WithdrawnAmount + e.Amount }),
        AccountClosed => this with { OpenAccounts = OpenAccounts - 1 },
        _ => this,
    };

    /// <summary>The sum of shards (the account-to-currency map is a shard's own bookkeeping and is left out).</summary>
    public BankTotals Plus(BankTotals other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var currencies = Currencies;
        foreach (var (code, totals) in other.Currencies)
        {
            currencies = currencies.SetItem(code, currencies.TryGetValue(code, out var mine) ? mine.Plus(totals) : totals);
        }

        return new BankTotals(Accounts + other.Accounts, OpenAccounts + other.OpenAccounts, currencies, ImmutableDictionary<string, string>.Empty);
    }

    private BankTotals Change(string accountId, Func<CurrencyTotals, CurrencyTotals> change)
    {
        var currency = AccountCurrencies.TryGetValue(accountId, out var code)
            ? code
            : throw new InvalidOperationException($"Account {accountId} has money events but was never opened.");
        return this with { Currencies = Currencies.SetItem(currency, change(Currencies[currency])) };
    }
}
