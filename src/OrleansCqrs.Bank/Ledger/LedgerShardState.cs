using System.Collections.Immutable;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Events;

namespace OrleansCqrs.Bank.Ledger;

/// <summary>
/// What one shard of the ledger knows of its accounts: the bank totals, each account's currency and balance, and which
/// accounts each customer holds. Cross-account reads (totals, top accounts, a customer's accounts) are answered from
/// the shards and merged.
/// </summary>
[GenerateSerializer, Immutable, Alias("bank.ledger-shard.v1")]
public sealed record LedgerShardState(
    [property: Id(0)] BankTotals Totals,
    [property: Id(1)] ImmutableDictionary<string, AccountBalance> Accounts,
    [property: Id(2)] ImmutableDictionary<string, ImmutableSortedSet<string>> CustomerAccounts)
{
    public static LedgerShardState Empty { get; } = new(
        BankTotals.Empty,
        ImmutableDictionary<string, AccountBalance>.Empty,
        ImmutableDictionary<string, ImmutableSortedSet<string>>.Empty);

    /// <summary>The shard after one more event of account <paramref name="accountId"/> (pure).</summary>
    public LedgerShardState When(string accountId, IDomainEvent domainEvent) => domainEvent switch
    {
        AccountOpened e => new LedgerShardState(
            Totals.Opened(e.Currency),
            Accounts.Add(accountId, new AccountBalance(accountId, e.CustomerId, e.Currency, 0m)),
            CustomerAccounts.SetItem(e.CustomerId, CustomerAccounts.GetValueOrDefault(e.CustomerId, []).Add(accountId))),
        MoneyDeposited e => Move(accountId, e.Amount, (totals, currency) => totals.Deposited(currency, e.Amount)),
        MoneyWithdrawn e => Move(accountId, -e.Amount, (totals, currency) => totals.Withdrawn(currency, e.Amount)),
        AccountClosed => this with { Totals = Totals.Closed() },
        _ => this,
    };

    /// <summary>The <paramref name="limit"/> accounts of this shard with the highest balances, highest first.</summary>
    public IReadOnlyList<AccountBalance> Top(int limit) =>
        [.. Accounts.Values.OrderByDescending(a => a.Balance).ThenBy(a => a.AccountId, StringComparer.Ordinal).Take(limit)];

    private LedgerShardState Move(string accountId, decimal change, Func<BankTotals, string, BankTotals> count)
    {
        var account = Accounts.TryGetValue(accountId, out var found)
            ? found
            : throw new InvalidOperationException($"Account {accountId} has money events but was never opened.");
        return this with
        {
            Totals = count(Totals, account.Currency),
            Accounts = Accounts.SetItem(accountId, account with { Balance = account.Balance + change }),
        };
    }
}
