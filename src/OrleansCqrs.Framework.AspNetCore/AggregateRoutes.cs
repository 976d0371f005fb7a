using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Framework.AspNetCore;

/// <summary>
/// The commands of an aggregate that takes them all through <see cref="IAggregateGrain{TCommand}.Execute"/>: a
/// command endpoint is then its route, its operation name and how the request becomes the command. The rules applied
/// are those of <see cref="CommandRoutes{TGrain, TAccepted}"/>.
/// </summary>
public sealed class AggregateRoutes<TGrain, TCommand, TAccepted>
    where TGrain : IAggregateGrain<TCommand>
    where TCommand : class
{
    internal AggregateRoutes(CommandRoutes<TGrain, TAccepted> commands) => Commands = commands;

    /// <summary>The same routes, for a command the grain takes through a method of its own.</summary>
    public CommandRoutes<TGrain, TAccepted> Commands { get; }

    /// <summary>A command with a JSON body, as <see cref="CommandRoutes{TGrain, TAccepted}.MapCommand{TRequest, TCommand}"/>.</summary>
    public RouteHandlerBuilder MapCommand<TRequest>(string pattern, string operation, Func<TRequest, RequestFields, TCommand> toCommand) =>
        Commands.MapCommand(pattern, operation, toCommand, static (grain, command, context) => grain.Execute(command, context));

    /// <summary>
    /// A command without a body: every request sends the same <paramref name="command"/>, so its fingerprint is the
    /// operation alone, as <see cref="CommandRoutes{TGrain, TAccepted}.MapCommand(string, string, Func{TGrain, CommandContext, Task{CommandResult}})"/>.
    /// </summary>
    public RouteHandlerBuilder MapCommand(string pattern, string operation, TCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return Commands.MapCommand(pattern, operation, (grain, context) => grain.Execute(command, context));
    }

    /// <summary>A command that creates the aggregate, as <see cref="CommandRoutes{TGrain, TAccepted}.MapCreateCommand{TRequest, TCommand}"/>.</summary>
    public RouteHandlerBuilder MapCreateCommand<TRequest>(
        string pattern,
        string operation,
        string newIdScope,
        Func<TRequest, RequestFields, (string? RequestedId, TCommand Command)> toCommand,
        Func<string, string> location,
        Func<string, TCommand, HttpContext, Task<Rejection?>>? admit = null) =>
        Commands.MapCreateCommand(pattern, operation, newIdScope, toCommand, static (grain, command, context) => grain.Execute(command, context), location, admit);
}
