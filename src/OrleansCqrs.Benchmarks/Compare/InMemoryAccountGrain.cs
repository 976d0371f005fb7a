using Orleans.Streams;

namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>
/// An account as an Orleans user writes one with plain grain state: decide, update, <c>WriteStateAsync</c>, publish
/// the event for its read model, answer. Not reentrant, Orleans' default: one command at a time per account.
/// </summary>
public sealed class InMemoryAccountGrain(
    [PersistentState(InMemoryAccountGrain.StateName, InMemoryOrleansTarget.GrainStorage)] IPersistentState<BaselineAccount> account)
    : Grain, IInMemoryAccountGrain
{
    public const string StateName = "account";

    /// <summary>
    /// One stream per account, keyed by the account id, as Orleans users model an entity's events: an implicit
    /// subscription activates the reader with the same key (<see cref="BalanceProjectionGrain"/>), so each account's
    /// read model gets its own events in order, and deposits into different accounts never share a consumer.
    /// </summary>
    public const string StreamNamespace = "bench.baseline.account";

    private IAsyncStream<BaselineEvent>? _events;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _events = this.GetStreamProvider(InMemoryOrleansTarget.StreamProvider)
            .GetStream<BaselineEvent>(StreamId.Create(StreamNamespace, this.GetPrimaryKeyString()));
        return Task.CompletedTask;
    }

    public async Task Open()
    {
        if (account.State.Opened)
        {
            return;
        }

        account.State.Opened = true;
        await account.WriteStateAsync();
    }

    public async Task<string?> Deposit(decimal amount)
    {
        if (account.State.DepositProblem(amount) is { } problem)
        {
            return problem;
        }

        account.State.Balance += amount;
        await account.WriteStateAsync();
        // Answered after the publish too: once the caller has its answer, the event is in the stream's queue.
        await _events!.OnNextAsync(new BaselineDeposited(amount));
        return null;
    }
}
