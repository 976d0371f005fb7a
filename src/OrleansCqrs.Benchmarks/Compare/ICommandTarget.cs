namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>
/// One system the comparison drives with the same command workload: accounts opened first, then deposits into random
/// accounts from many callers, each deposit loading the account, deciding (the account exists, the amount is
/// positive), appending its event with optimistic concurrency and answering only after the commit.
/// </summary>
public interface ICommandTarget : IAsyncDisposable
{
    /// <summary>The system's name in the results, e.g. <c>marten-quick-append</c>.</summary>
    string Name { get; }

    /// <summary>Concurrency conflicts met and retried so far (a deposit retried counts once in the throughput).</summary>
    long Conflicts { get; }

    /// <summary>Opens every account, with at most <paramref name="parallelism"/> openings in flight.</summary>
    Task OpenAccountsAsync(IReadOnlyList<string> accountIds, int parallelism);

    /// <summary>Deposits <paramref name="amount"/>; returns once committed, throws when the system refuses it.</summary>
    Task DepositAsync(string accountId, decimal amount);

    /// <summary>
    /// The sum of the balances of <paramref name="accountIds"/> as the system's own store holds them (read after the
    /// load stopped): the harness checks it against the deposits acknowledged, so a system cannot count work it did
    /// not do.
    /// </summary>
    Task<decimal> TotalBalanceAsync(IReadOnlyList<string> accountIds);
}
