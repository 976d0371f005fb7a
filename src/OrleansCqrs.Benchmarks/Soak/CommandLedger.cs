namespace OrleansCqrs.Benchmarks.Soak;

/// <summary>
/// What the load was told, per account, to audit the event log against afterwards: every applied command (16 bytes
/// each, so 30 minutes of load fit in tens of MB) and the amounts of commands whose outcome it never learned.
/// </summary>
public sealed class CommandLedger
{
    private readonly List<AcknowledgedCommand>[] _applied;
    private readonly List<long>[] _unknown;
    private long _rejected;

    public CommandLedger(int accounts)
    {
        _applied = [.. Enumerable.Range(0, accounts).Select(_ => new List<AcknowledgedCommand>())];
        _unknown = [.. Enumerable.Range(0, accounts).Select(_ => new List<long>())];
    }

    public int Accounts => _applied.Length;

    public long Rejected => Interlocked.Read(ref _rejected);

    public void Applied(int account, long version, long cents)
    {
        var list = _applied[account];
        lock (list)
        {
            list.Add(new AcknowledgedCommand(version, cents));
        }
    }

    public void Rejection() => Interlocked.Increment(ref _rejected);

    public void Unknown(int account, long cents)
    {
        var list = _unknown[account];
        lock (list)
        {
            list.Add(cents);
        }
    }

    /// <summary>The applied commands of <paramref name="account"/>, by version; call once the load has stopped.</summary>
    public IReadOnlyList<AcknowledgedCommand> AppliedTo(int account) => [.. _applied[account].OrderBy(c => c.Version)];

    public IReadOnlyList<long> UnknownFor(int account) => _unknown[account];
}
