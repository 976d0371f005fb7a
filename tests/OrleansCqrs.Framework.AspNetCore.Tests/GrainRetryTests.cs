using OrleansCqrs.Framework.EventStore;

namespace OrleansCqrs.Framework.AspNetCore.Tests;

public sealed class GrainRetryTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_call_rejected_while_its_silo_is_declared_dead_is_sent_again_until_it_succeeds()
    {
        var attempts = 0;
        var result = await GrainRetry.SendAsync(
            () => ++attempts < 3 ? throw new SiloUnavailableException("gone") : Task.FromResult(42),
            Timeout.InfiniteTimeSpan,
            Budget,
            TestContext.Current.CancellationToken);
        Assert.Equal((42, 3), (result, attempts));
    }

    [Fact]
    public async Task An_attempt_whose_reply_never_comes_is_abandoned_after_its_timeout_and_sent_again()
    {
        var attempts = 0;
        var never = new TaskCompletionSource<int>();
        var result = await GrainRetry.SendAsync(
            () => ++attempts == 1 ? never.Task : Task.FromResult(7),
            TimeSpan.FromMilliseconds(100),
            Budget,
            TestContext.Current.CancellationToken);
        Assert.Equal((7, 2), (result, attempts));
    }

    [Fact]
    public async Task A_call_the_cluster_cancelled_during_failover_is_sent_again()
    {
        var attempts = 0;
        var result = await GrainRetry.SendAsync(
            () => ++attempts == 1
                ? throw new OperationCanceledException("Message expired before placement could complete for grain account/a.")
                : Task.FromResult(5),
            Timeout.InfiniteTimeSpan,
            Budget,
            TestContext.Current.CancellationToken);
        Assert.Equal((5, 2), (result, attempts));
    }

    [Fact]
    public async Task A_call_whose_request_was_cancelled_is_not_sent_again()
    {
        using var request = new CancellationTokenSource();
        var attempts = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => GrainRetry.SendAsync<int>(
            () =>
            {
                attempts++;
                request.Cancel();
                throw new OperationCanceledException(request.Token);
            },
            Timeout.InfiniteTimeSpan,
            Budget,
            request.Token));
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task After_the_budget_the_last_failure_is_thrown()
    {
        var attempts = 0;
        await Assert.ThrowsAsync<SiloUnavailableException>(() => GrainRetry.SendAsync<int>(
            () =>
            {
                attempts++;
                throw new SiloUnavailableException("no silo");
            },
            Timeout.InfiniteTimeSpan,
            TimeSpan.FromMilliseconds(300),
            TestContext.Current.CancellationToken));
        Assert.InRange(attempts, 2, 10);
    }

    [Fact]
    public async Task An_unreachable_event_store_is_not_retried()
    {
        var attempts = 0;
        await Assert.ThrowsAsync<EventStoreUnavailableException>(() => GrainRetry.SendAsync<int>(
            () =>
            {
                attempts++;
                throw new EventStoreUnavailableException("down");
            },
            Timeout.InfiniteTimeSpan,
            Budget,
            TestContext.Current.CancellationToken));
        Assert.Equal(1, attempts);
    }
}
