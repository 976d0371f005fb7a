namespace OrleansCqrs.Framework.Aggregates;

/// <summary>An aggregate whose commands share one type (an interface or base record) and one decider.</summary>
public abstract class AggregateGrain<TState, TCommand>(IPersistentState<Snapshot<TState>> snapshot, AggregateServices services)
    : AggregateGrain<TState>(snapshot, services), IAggregateGrain<TCommand>
    where TState : class, IAggregateState<TState>
    where TCommand : class
{
    /// <summary>The pure decision: events to emit or a rejection, from the state and the command alone.</summary>
    protected abstract Decision Decide(TState state, TCommand command);

    /// <summary>
    /// Whether <paramref name="actor"/> may send <paramref name="command"/> to this aggregate in its
    /// <paramref name="state"/>: null when it may, else the rejection to answer (nothing is recorded). A null actor is
    /// a trusted caller inside the cluster. By default everyone may.
    /// </summary>
    protected virtual Rejection? Authorize(TState state, TCommand command, Actor? actor) => null;

    public virtual Task<CommandResult> Execute(TCommand command, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(context);
        return ExecuteAsync(context, state => Decide(state, command), state => Authorize(state, command, context.Actor), command.GetType().Name);
    }
}
