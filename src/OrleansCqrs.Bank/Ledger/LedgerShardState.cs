using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.Projections.Rows;

namespace OrleansCqrs.Bank.Ledger;

/// <summary>
/// What one shard of the ledger knows of its accounts: the bank totals (the header), each account's customer, currency
/// and balance (a row per account), and which accounts each customer holds (an index rebuilt from the rows, never
/// saved). A save writes the totals and the accounts that changed. Cross-account reads (totals, top accounts, a
/// customer's accounts) are answered from the shards and merged.
/// </summary>
public sealed class LedgerShardState() : KeyedReadModel<BankTotals, AccountBalance>(BankTotals.Empty)
{
    private readonly Dictionary<string, SortedSet<string>> _customerAccounts = new(StringComparer.Ordinal);

    public BankTotals Totals => Header;

    /// <summary>The account ids of a customer in this shard, in ordinal order.</summary>
    public IReadOnlyCollection<string> AccountsOf(string customerId) =>
        _customerAccounts.TryGetValue(customerId, out var accounts) ? accounts : [];

    /// <summary>Applies one more event of account <paramref name="accountId"/>; checks before it changes anything.</summary>
    public void When(string accountId, IDomainEvent domainEvent)
    {
        switch (domainEvent)
        {
            case AccountOpened when Rows.ContainsKey(accountId):
                // Only a write behind the aggregate's back can open an account twice. The account's own summary stops
                // there (stuck, reported); the ledger keeps the first opening rather than stop every bank-wide read.
                break;
            case AccountOpened e:
                Header = Header.Opened(e.Currency);
                Set(accountId, new AccountBalance(accountId, e.CustomerId, e.Currency, 0m));
                break;
            case MoneyDeposited e:
                Move(accountId, e.Amount, (totals, currency) => totals.Deposited(currency, e.Amount));
                break;
            case MoneyWithdrawn e:
                Move(accountId, -e.Amount, (totals, currency) => totals.Withdrawn(currency, e.Amount));
                break;
            case AccountClosed:
                Header = Header.Closed();
                break;
        }
    }

    /// <summary>The <paramref name="limit"/> accounts of this shard with the highest balances, highest first.</summary>
    public IReadOnlyList<AccountBalance> Top(int limit) =>
        [.. Rows.Values.OrderByDescending(a => a.Balance).ThenBy(a => a.AccountId, StringComparer.Ordinal).Take(limit)];

    protected override void OnRowChanged(string key, AccountBalance? before, AccountBalance? after)
    {
        if (before is not null && before.CustomerId != after?.CustomerId && _customerAccounts.TryGetValue(before.CustomerId, out var previous))
        {
            previous.Remove(key);
            if (previous.Count == 0)
            {
                _customerAccounts.Remove(before.CustomerId);
            }
        }

        if (after is not null)
        {
            if (!_customerAccounts.TryGetValue(after.CustomerId, out var accounts))
            {
                _customerAccounts[after.CustomerId] = accounts = new SortedSet<string>(StringComparer.Ordinal);
            }

            accounts.Add(key);
        }
    }

    private void Move(string accountId, decimal change, Func<BankTotals, string, BankTotals> count)
    {
        var account = Rows.TryGetValue(accountId, out var found)
            ? found
            : throw new InvalidOperationException($"Account {accountId} has money events but was never opened.");
        Header = count(Header, account.Currency);
        Set(accountId, account with { Balance = account.Balance + change });
    }
}
