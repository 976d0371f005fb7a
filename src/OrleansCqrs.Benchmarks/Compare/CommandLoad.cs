namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>
/// The comparison's workload, the same for every <see cref="ICommandTarget"/>: <c>callers</c> closed-loop callers,
/// each depositing into a random account (seeded per caller) and starting its next deposit when the last one was
/// acknowledged. Afterwards the target's own store must hold exactly the money of the deposits it acknowledged.
/// </summary>
public static class CommandLoad
{
    public const decimal Amount = 1.25m;

    public static async Task<ThroughputResult> RunAsync(ICommandTarget target, IReadOnlyList<string> accounts, int callers, TimeSpan warmUp, TimeSpan measured, string? progress = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(accounts);
        var before = await target.TotalBalanceAsync(accounts);
        var acknowledged = 0L;
        var result = await ClosedLoad.RunAsync(callers, async worker =>
        {
            var random = new Random(worker.Index);
            while (worker.Running)
            {
                var account = accounts[random.Next(accounts.Count)];
                await worker.TimeAsync(() => target.DepositAsync(account, Amount));
                Interlocked.Increment(ref acknowledged);
            }
        }, warmUp, measured, progress);
        var after = await target.TotalBalanceAsync(accounts);
        if (after - before != acknowledged * Amount)
        {
            throw new InvalidOperationException($"{target.Name}: {acknowledged:N0} deposits of {Amount} acknowledged, but the balances grew by {after - before}.");
        }

        return result;
    }
}
