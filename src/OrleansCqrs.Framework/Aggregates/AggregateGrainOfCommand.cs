namespace OrleansCqrs.Framework.Aggregates;

/// <summary>An aggregate whose commands share one type (an interface or base record) and one decider.</summary>
public abstract class AggregateGrain<TState, TCommand>(IPersistentState<Snapshot<TState>> snapshot, AggregateServices services)
    : AggregateGrain<TState>(snapshot, services), IAggregateGrain<TCommand>
    where TState : class, IAggregateState<TState>
    where TCommand : class
{
    /// <summary>The pure decision: events to emit or a rejection, from the state and the command alone.</summary>
    protected abstract Decision Decide(TState state, TCommand command);

    public Task<CommandResult> Execute(TCommand command, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(command);
        return ExecuteAsync(context, state => Decide(state, command));
    }
}
