using Orleans.Streams;
using Orleans.Streams.Core;

namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>
/// The one consumer of <see cref="InMemoryOrleansTarget"/>'s events, as OrleansCqrs' aggregates have their
/// projections: activated by an implicit subscription to its account's stream, it folds the deposits into a balance,
/// in memory like everything else of that baseline.
/// </summary>
[ImplicitStreamSubscription(InMemoryAccountGrain.StreamNamespace)]
public sealed class BalanceProjectionGrain : Grain, IBalanceProjectionGrain, IStreamSubscriptionObserver, IAsyncObserver<BaselineEvent>
{
    private decimal _balance;

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        ArgumentNullException.ThrowIfNull(handleFactory);
        return handleFactory.Create<BaselineEvent>().ResumeAsync(this);
    }

    public Task OnNextAsync(BaselineEvent item, StreamSequenceToken? token = null)
    {
        if (item is BaselineDeposited deposited)
        {
            _balance += deposited.Amount;
        }

        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;

    public Task<decimal> GetBalance() => Task.FromResult(_balance);
}
