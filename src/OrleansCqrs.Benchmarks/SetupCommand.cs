using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.AspNetCore;

namespace OrleansCqrs.Benchmarks;

/// <summary>
/// A command of a scenario's set-up, before anything is measured (opening and funding thousands of accounts at
/// once). A burst of fresh activations can keep the silo from answering within its response timeout; the command is
/// then sent again, as the front end would (<see cref="GrainRetry"/>), with the same command id, so the aggregate
/// answers a retry with its first outcome and nothing is opened or funded twice. A run no longer ends in its set-up
/// on one slow moment.
/// </summary>
public static class SetupCommand
{
    public static Task<CommandResult> SendAsync(Func<CommandContext, Task<CommandResult>> execute)
    {
        ArgumentNullException.ThrowIfNull(execute);
        var context = CommandContext.New();
        return GrainRetry.SendAsync(() => execute(context), CancellationToken.None);
    }
}
