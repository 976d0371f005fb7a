using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Accounts.Summary;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.Telemetry;

namespace OrleansCqrs.Api.Live;

/// <summary>
/// Who listens for what, indexed by account and by customer, so that a change finds its listeners without asking
/// each one and an event nobody can want costs a few lookups. For customer listeners it keeps which accounts the
/// customer holds: from the ledger when the first listener arrives, then from the AccountOpened events that follow.
/// Not thread-safe: the feed holds its lock.
/// </summary>
internal sealed class LiveListeners
{
    private readonly Dictionary<string, List<LiveSubscription>> _byAccount = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CustomerWatch> _byCustomer = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _watchedOwners = new(StringComparer.Ordinal);
    private readonly List<LiveSubscription> _unfiltered = [];

    public int Count { get; private set; }

    public void Add(LiveSubscription listener)
    {
        if (listener.AccountId is { } accountId)
        {
            Listeners(_byAccount, accountId).Add(listener);
        }
        else if (listener.CustomerId is { } customerId)
        {
            if (!_byCustomer.TryGetValue(customerId, out var watch))
            {
                _byCustomer[customerId] = watch = new CustomerWatch();
            }

            watch.Listeners.Add(listener);
        }
        else
        {
            _unfiltered.Add(listener);
        }

        Count++;
        CqrsMetrics.LiveListeners.Add(1);
    }

    /// <summary>Removes the listener; false when it was not listening (removed already).</summary>
    public bool Remove(LiveSubscription listener)
    {
        bool removed;
        if (listener.AccountId is { } accountId)
        {
            removed = _byAccount.TryGetValue(accountId, out var listeners) && listeners.Remove(listener);
            if (removed && listeners!.Count == 0)
            {
                _byAccount.Remove(accountId);
            }
        }
        else if (listener.CustomerId is { } customerId)
        {
            removed = _byCustomer.TryGetValue(customerId, out var watch) && watch.Listeners.Remove(listener);
            if (removed && watch!.Listeners.Count == 0)
            {
                _byCustomer.Remove(customerId);
                foreach (var account in watch.Accounts)
                {
                    _watchedOwners.Remove(account);
                }
            }
        }
        else
        {
            removed = _unfiltered.Remove(listener);
        }

        if (removed)
        {
            Count--;
            CqrsMetrics.LiveListeners.Add(-1);
        }

        return removed;
    }

    /// <summary>Accounts the ledger says the customer holds, if anyone still listens for it.</summary>
    public void AddCustomerAccounts(string customerId, IEnumerable<string> accountIds)
    {
        if (_byCustomer.TryGetValue(customerId, out var watch))
        {
            foreach (var accountId in accountIds)
            {
                watch.Accounts.Add(accountId);
                _watchedOwners[accountId] = customerId;
            }
        }
    }

    /// <summary>Whether some listener can match this account's summary (learning the owner of an account just opened).</summary>
    public bool Wants(string accountId, IDomainEvent domainEvent)
    {
        if (domainEvent is AccountOpened opened && _byCustomer.TryGetValue(opened.CustomerId, out var watch))
        {
            watch.Accounts.Add(accountId);
            _watchedOwners[accountId] = opened.CustomerId;
        }

        return Wants(accountId);
    }

    public bool Wants(string accountId) =>
        _unfiltered.Count > 0 || _byAccount.ContainsKey(accountId) || _watchedOwners.ContainsKey(accountId);

    /// <summary>Adds to <paramref name="into"/> every listener whose filter <paramref name="summary"/> matches.</summary>
    public void Match(AccountSummary summary, List<LiveSubscription> into)
    {
        into.AddRange(_unfiltered);
        if (_byAccount.TryGetValue(summary.AccountId, out var listeners))
        {
            foreach (var listener in listeners)
            {
                if (listener.CustomerId is null || listener.CustomerId == summary.CustomerId)
                {
                    into.Add(listener);
                }
            }
        }

        if (_byCustomer.TryGetValue(summary.CustomerId, out var watch))
        {
            into.AddRange(watch.Listeners);
        }
    }

    /// <summary>
    /// Adds to <paramref name="into"/> every listener that may see this transfer's status change: unfiltered
    /// listeners; the requesting customer's; the source account's (an operator's request, or its owner's: another
    /// customer's attempt on the account is refused at its first step and never shows on the account's statement);
    /// and, once completed, the destination's, whose statement then shows the money that came in.
    /// </summary>
    public void MatchTransfer(TransferUpdate update, string? requester, List<LiveSubscription> into)
    {
        var seen = new HashSet<LiveSubscription>(_unfiltered);
        into.AddRange(_unfiltered);
        void Add(LiveSubscription listener)
        {
            if (seen.Add(listener))
            {
                into.Add(listener);
            }
        }

        if (requester is not null && _byCustomer.TryGetValue(requester, out var own))
        {
            own.Listeners.ForEach(Add);
        }

        if (_byAccount.TryGetValue(update.FromAccountId, out var sourceListeners))
        {
            foreach (var listener in sourceListeners.Where(l => requester is null || l.Party is null || l.Party == requester))
            {
                Add(listener);
            }
        }

        if (requester is null && _watchedOwners.TryGetValue(update.FromAccountId, out var sourceOwner))
        {
            _byCustomer[sourceOwner].Listeners.ForEach(Add);
        }

        if (update.Status == Bank.Transfers.TransferView.Completed)
        {
            if (_byAccount.TryGetValue(update.ToAccountId, out var destinationListeners))
            {
                destinationListeners.ForEach(Add);
            }

            if (_watchedOwners.TryGetValue(update.ToAccountId, out var destinationOwner))
            {
                _byCustomer[destinationOwner].Listeners.ForEach(Add);
            }
        }
    }

    private static List<LiveSubscription> Listeners(Dictionary<string, List<LiveSubscription>> index, string key)
    {
        if (!index.TryGetValue(key, out var listeners))
        {
            index[key] = listeners = [];
        }

        return listeners;
    }

    private sealed class CustomerWatch
    {
        public List<LiveSubscription> Listeners { get; } = [];

        public HashSet<string> Accounts { get; } = new(StringComparer.Ordinal);
    }
}
