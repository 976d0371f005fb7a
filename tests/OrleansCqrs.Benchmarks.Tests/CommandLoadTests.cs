using OrleansCqrs.Benchmarks.Compare;

namespace OrleansCqrs.Benchmarks.Tests;

/// <summary>The comparison's workload cannot be fooled by a system that acknowledges work it did not do.</summary>
public sealed class CommandLoadTests
{
    [Fact]
    public async Task A_system_whose_balances_match_its_acknowledged_deposits_is_measured()
    {
        await using var target = new CountingTarget(keepsDeposits: true);
        var result = await CommandLoad.RunAsync(target, ["a", "b", "c"], callers: 4, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200));

        Assert.True(result.PerSecond > 0);
        Assert.True(target.Deposits > 0);
    }

    [Fact]
    public async Task A_system_that_acknowledges_deposits_it_does_not_keep_is_refused()
    {
        await using var target = new CountingTarget(keepsDeposits: false);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(
            () => CommandLoad.RunAsync(target, ["a", "b", "c"], callers: 4, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200)));
        Assert.Contains("balances grew by 0", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>Acknowledges every deposit after a yield; keeps the money only when told to.</summary>
    private sealed class CountingTarget(bool keepsDeposits) : ICommandTarget
    {
        private long _deposits;
        private decimal _total;
        private readonly Lock _lock = new();

        public string Name => "counting";

        public long Conflicts => 0;

        public long Deposits => Interlocked.Read(ref _deposits);

        public Task OpenAccountsAsync(IReadOnlyList<string> accountIds, int parallelism) => Task.CompletedTask;

        public async Task DepositAsync(string accountId, decimal amount)
        {
            await Task.Yield();
            Interlocked.Increment(ref _deposits);
            if (keepsDeposits)
            {
                lock (_lock)
                {
                    _total += amount;
                }
            }
        }

        public Task<decimal> TotalBalanceAsync(IReadOnlyList<string> accountIds)
        {
            lock (_lock)
            {
                return Task.FromResult(_total);
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
