using Orleans.EventSourcing;
using Orleans.Providers;

namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>
/// An account as Orleans users write one with the stock event sourcing: a <see cref="JournaledGrain{TState, TEvent}"/>
/// that decides on its confirmed state (<c>State</c>; <c>TentativeState</c> would count unconfirmed events), raises
/// the event and acknowledges once the log-consistency provider confirmed it, that is wrote it to storage. Not
/// reentrant, Orleans' default: one command at a time per account.
/// </summary>
[LogConsistencyProvider(ProviderName = JournaledGrainTarget.LogConsistencyProvider)]
[StorageProvider(ProviderName = JournaledGrainTarget.GrainStorage)]
public sealed class JournaledAccountGrain : JournaledGrain<BaselineAccount, BaselineEvent>, IJournaledAccountGrain
{
    public async Task Open()
    {
        if (State.Opened)
        {
            return;
        }

        RaiseEvent(new BaselineAccountOpened());
        await ConfirmEvents();
    }

    public async Task<string?> Deposit(decimal amount)
    {
        if (State.DepositProblem(amount) is { } problem)
        {
            return problem;
        }

        RaiseEvent(new BaselineDeposited(amount));
        // The acknowledgement waits for the storage write (optimistic on its ETag): the deposit is durable when answered.
        await ConfirmEvents();
        return null;
    }

    protected override void TransitionState(BaselineAccount state, BaselineEvent @event)
    {
        ArgumentNullException.ThrowIfNull(state);
        switch (@event)
        {
            case BaselineAccountOpened:
                state.Opened = true;
                break;
            case BaselineDeposited deposited:
                state.Balance += deposited.Amount;
                break;
            default:
                throw new ArgumentException($"Unknown event {@event?.GetType().Name}.", nameof(@event));
        }
    }
}
