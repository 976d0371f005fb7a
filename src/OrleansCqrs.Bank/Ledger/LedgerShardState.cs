using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Transfers;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.Projections.Rows;

namespace OrleansCqrs.Bank.Ledger;

/// <summary>
/// What one shard of the ledger knows of its accounts: the bank totals (the header), each account's customer, currency
/// and balance (a row per account), and which accounts each customer holds (an index rebuilt from the rows, never
/// saved). A save writes the totals and the accounts that changed. Cross-account reads (totals, top accounts, a
/// customer's accounts) are answered from the shards and merged.
/// Transfers: every shard reads the transfers' requested and ending events. The shard of the transfer id counts
/// them (each transfer counted once in the bank); the shard of the source account keeps the transfer on the source's
/// row while it runs, so a customer's pending transfers come with its accounts, from the shard that knows the owner.
/// </summary>
public sealed class LedgerShardState() : KeyedReadModel<BankTotals, AccountBalance>(BankTotals.Empty)
{
    private readonly Dictionary<string, SortedSet<string>> _customerAccounts = new(StringComparer.Ordinal);

    // Which source account's row holds each running transfer (rebuilt from the rows, never saved).
    private readonly Dictionary<string, string> _pendingSources = new(StringComparer.Ordinal);

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
                Header = Header.Deposited(Move(accountId, e.Amount), e.Amount);
                break;
            case MoneyWithdrawn e:
                Header = Header.Withdrawn(Move(accountId, -e.Amount), e.Amount);
                break;
            case TransferSent e:
                Header = Header.Sent(Move(accountId, -e.Amount), e.Amount);
                break;
            case TransferReceived e:
                Header = Header.Received(Move(accountId, e.Amount), e.Amount);
                break;
            case TransferReturned e:
                Header = Header.Returned(Move(accountId, e.Amount), e.Amount);
                break;
            case AccountClosed:
                Header = Header.Closed();
                break;
        }
    }

    /// <summary>
    /// Applies one more event of transfer <paramref name="transferId"/>; <paramref name="counts"/> says whether this
    /// shard is the one that counts it.
    /// </summary>
    public void WhenTransfer(string transferId, bool counts, IDomainEvent domainEvent)
    {
        switch (domainEvent)
        {
            case TransferRequested e:
                if (counts)
                {
                    Header = Header with { TransfersRequested = Header.TransfersRequested + 1 };
                }

                // A customer asking to move another customer's money is refused at the first step: it is nobody's
                // pending transfer, and the account's owner must not see it.
                if (Rows.TryGetValue(e.FromAccountId, out var source) && (e.CustomerId is null || e.CustomerId == source.CustomerId)
                    && !_pendingSources.ContainsKey(transferId))
                {
                    var pending = new PendingTransfer(transferId, e.FromAccountId, e.ToAccountId, e.Amount, e.Currency);
                    Set(e.FromAccountId, source with { PendingTransfers = (source.PendingTransfers ?? []).Add(pending) });
                }

                break;
            case TransferCompleted:
                if (counts)
                {
                    Header = Header with { TransfersCompleted = Header.TransfersCompleted + 1 };
                }

                Ended(transferId);
                break;
            case TransferFailed:
                if (counts)
                {
                    Header = Header with { TransfersFailed = Header.TransfersFailed + 1 };
                }

                Ended(transferId);
                break;
        }
    }

    /// <summary>The running transfers out of the customer's accounts in this shard, by source account then transfer id.</summary>
    public IEnumerable<PendingTransfer> PendingOf(string customerId) =>
        AccountsOf(customerId).SelectMany(accountId => Rows[accountId].PendingTransfers ?? []);

    /// <summary>The <paramref name="limit"/> accounts of this shard with the highest balances, highest first.</summary>
    public IReadOnlyList<AccountBalance> Top(int limit) =>
        [.. Rows.Values.OrderByDescending(a => a.Balance).ThenBy(a => a.AccountId, StringComparer.Ordinal).Take(limit).Select(a => a with { PendingTransfers = null })];

    protected override void OnRowChanged(string key, AccountBalance? before, AccountBalance? after)
    {
        foreach (var pending in before?.PendingTransfers ?? [])
        {
            _pendingSources.Remove(pending.TransferId);
        }

        foreach (var pending in after?.PendingTransfers ?? [])
        {
            _pendingSources[pending.TransferId] = key;
        }

        // Money moving (nearly every event) leaves the row's owner as it was, and so the customer index.
        if (before?.CustomerId == after?.CustomerId)
        {
            return;
        }

        if (before is not null && _customerAccounts.TryGetValue(before.CustomerId, out var previous))
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

    private void Ended(string transferId)
    {
        if (_pendingSources.TryGetValue(transferId, out var accountId))
        {
            var source = Rows[accountId];
            var left = source.PendingTransfers!.RemoveAll(p => p.TransferId == transferId);
            Set(accountId, source with { PendingTransfers = left.IsEmpty ? null : left });
        }
    }

    /// <summary>Changes the account's balance; returns its currency, for the totals.</summary>
    private string Move(string accountId, decimal change)
    {
        var account = Rows.TryGetValue(accountId, out var found)
            ? found
            : throw new InvalidOperationException($"Account {accountId} has money events but was never opened.");
        Set(accountId, account with { Balance = account.Balance + change });
        return account.Currency;
    }
}
