namespace OrleansCqrs.Bank.Live;

/// <summary>The head of the global log, for clients that follow it (live updates); served by stateless workers.</summary>
[Alias("bank.ILogTail")]
public interface ILogTail : IGrainWithIntegerKey
{
    /// <summary>Entries after <paramref name="afterPosition"/>, in commit order.</summary>
    [Alias("after")]
    Task<IReadOnlyList<LogEntry>> ReadAfter(long afterPosition, int maxCount);

    /// <summary>The position of the last committed entry (0 for an empty log).</summary>
    [Alias("head")]
    Task<long> Head();
}
