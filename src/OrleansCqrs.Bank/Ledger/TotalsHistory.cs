namespace OrleansCqrs.Bank.Ledger;

/// <summary>
/// A ledger shard's recent totals by global position, so that the shards can answer "the totals as of position P"
/// after one of them has read past P, and the bank's totals are summed at one position. Kept in memory only, for the
/// last <see cref="Capacity"/> changes of the totals (seconds of history under load); before that, or before the
/// shard's activation, the answer is unknown.
/// </summary>
internal sealed class TotalsHistory
{
    public const int Capacity = 8192;

    // Ascending positions; each entry's totals hold from its position until the next entry's.
    private readonly List<(long Position, BankTotals Totals)> _entries = [];
    private long _knownFrom = -1;

    /// <summary>Marks where the shard started: its totals then hold from <paramref name="position"/> until the first change.</summary>
    public void Start(long position) => _knownFrom = position;

    /// <summary>Records the totals <paramref name="before"/> and after the event at <paramref name="position"/> changed them.</summary>
    public void Changed(long position, BankTotals before, BankTotals after)
    {
        if (_entries.Count == 0 && _knownFrom >= 0)
        {
            _entries.Add((_knownFrom, before));
        }

        _entries.Add((position, after));
        if (_entries.Count > 2 * Capacity)
        {
            _entries.RemoveRange(0, Capacity);
        }
    }

    /// <summary>
    /// The totals as of <paramref name="position"/>, given that the shard has read up to <paramref name="reached"/> and
    /// holds <paramref name="current"/>; null if that is not known here.
    /// </summary>
    public BankTotals? At(long position, long reached, BankTotals current)
    {
        if (position > reached || _knownFrom < 0 || position < _knownFrom)
        {
            return null;
        }

        if (_entries.Count == 0)
        {
            return current;
        }

        if (position < _entries[0].Position)
        {
            return null;
        }

        var (low, high) = (0, _entries.Count - 1);
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            (low, high) = _entries[middle].Position <= position ? (middle, high) : (low, middle - 1);
        }

        return _entries[low].Totals;
    }
}
