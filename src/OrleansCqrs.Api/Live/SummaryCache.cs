using OrleansCqrs.Bank.Accounts.Summary;

namespace OrleansCqrs.Api.Live;

/// <summary>
/// The latest summary of accounts that listeners can match, to fold their next events into. Bounded: past
/// <c>capacity</c> the least recently changed account goes, and costs one read when it next changes. Not thread-safe:
/// the feed holds its lock.
/// </summary>
internal sealed class SummaryCache(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<AccountSummary>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<AccountSummary> _byRecentChange = new();

    public int Count => _entries.Count;

    public AccountSummary? Get(string accountId) => _entries.TryGetValue(accountId, out var node) ? node.Value : null;

    public void Put(AccountSummary summary)
    {
        if (_entries.TryGetValue(summary.AccountId, out var node))
        {
            _byRecentChange.Remove(node);
            node.Value = summary;
            _byRecentChange.AddFirst(node);
            return;
        }

        _entries[summary.AccountId] = _byRecentChange.AddFirst(summary);
        if (_entries.Count > capacity)
        {
            var oldest = _byRecentChange.Last!;
            _byRecentChange.RemoveLast();
            _entries.Remove(oldest.Value.AccountId);
        }
    }

    public void Remove(string accountId)
    {
        if (_entries.Remove(accountId, out var node))
        {
            _byRecentChange.Remove(node);
        }
    }

    public void Clear()
    {
        _entries.Clear();
        _byRecentChange.Clear();
    }
}
