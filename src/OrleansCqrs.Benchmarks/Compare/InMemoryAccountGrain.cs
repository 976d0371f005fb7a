using Orleans.Streams;

namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>
/// An account as an Orleans user writes one with plain grain state: decide, update, <c>WriteStateAsync</c>, publish
/// the event for its read model, answer. Not reentrant, Orleans' default: one command at a time per account.
/// </summary>
public sealed class InMemoryAccountGrain(
    [PersistentState(InMemoryAccountGrain.StateName, InMemoryOrleansTarget.GrainStorage)] IPersistentState<BaselineAccount> account,
    PublishBackPressure backPressure)
    : Grain, IInMemoryAccountGrain
{
    public const string StateName = "account";

    /// <summary>
    /// One stream per account, keyed by the account id, as Orleans users model an entity's events: an implicit
    /// subscription activates the reader with the same key (<see cref="BalanceProjectionGrain"/>), so each account's
    /// read model gets its own events in order, and deposits into different accounts never share a consumer.
    /// </summary>
    public const string StreamNamespace = "bench.baseline.account";

    /// <summary>How long a publish waits for room in a full queue before the deposit fails.</summary>
    private static readonly TimeSpan QueueFullPatience = TimeSpan.FromSeconds(30);

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
        await PublishAsync(new BaselineDeposited(amount));
        return null;
    }

    /// <summary>
    /// A memory stream queue holds at most 16,384 events and refuses more: when its pulling agent falls behind, the
    /// publish waits for room. Nothing else keeps the event (this baseline has no log to heal from), and the state is
    /// already written, so failing the deposit would be wrong too.
    /// </summary>
    private async Task PublishAsync(BaselineEvent @event)
    {
        var deadline = DateTime.UtcNow + QueueFullPatience;
        var delay = TimeSpan.FromMilliseconds(1);
        while (true)
        {
            try
            {
                await _events!.OnNextAsync(@event);
                return;
            }
            catch (InvalidOperationException) when (DateTime.UtcNow < deadline)
            {
                backPressure.Waited();
                await Task.Delay(delay);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 50));
            }
        }
    }
}
