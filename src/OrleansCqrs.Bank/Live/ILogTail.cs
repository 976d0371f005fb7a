using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Bank.Live;

/// <summary>The global log as a follower outside the silo sees it (live updates); served by stateless workers.</summary>
[Alias("bank.ILogTail")]
public interface ILogTail : IGrainWithIntegerKey
{
    /// <summary>The entries after <paramref name="afterPosition"/> (at most <paramref name="maxCount"/>), in commit order.</summary>
    [Alias("account-events")]
    Task<LogPage> ReadAccountEvents(long afterPosition, int maxCount);

    /// <summary>The position of the last committed entry (0 for an empty log).</summary>
    [Alias("head")]
    Task<long> Head();

    /// <summary>
    /// The accounts of a customer once the ledger reflects at least <paramref name="minPosition"/>, waiting up to
    /// <paramref name="wait"/>: with the AccountOpened events after that position, a follower knows them all.
    /// </summary>
    [Alias("customer-accounts")]
    Task<LogRead<IReadOnlyList<string>>> CustomerAccounts(string customerId, long minPosition, TimeSpan wait);
}
