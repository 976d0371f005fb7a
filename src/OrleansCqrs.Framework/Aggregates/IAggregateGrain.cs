namespace OrleansCqrs.Framework.Aggregates;

/// <summary>
/// An aggregate that takes its commands through one entry point: a domain's grain interface derives from it and
/// declares nothing more, and the HTTP helpers send any command the same way.
/// </summary>
[Alias("cqrs.IAggregateGrain`1")]
public interface IAggregateGrain<TCommand> : IGrainWithStringKey
    where TCommand : class
{
    /// <summary>
    /// Decides <paramref name="command"/> against the current state and commits what it emits before answering. Five
    /// seconds, not Orleans' 30: a reply lost with a crashed silo is noticed in time to retry the command (same command
    /// id, so at most once) elsewhere.
    /// </summary>
    [Alias("execute"), ResponseTimeout("00:00:05")]
    Task<CommandResult> Execute(TCommand command, CommandContext context);
}
