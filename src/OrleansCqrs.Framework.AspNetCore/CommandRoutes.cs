using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.AspNetCore.Security;

namespace OrleansCqrs.Framework.AspNetCore;

/// <summary>
/// Maps the commands of one aggregate type, each in a line, applying the rules every command endpoint shares: the
/// aggregate id and the required fields are checked (400 naming each field), the <c>Idempotency-Key</c> header
/// becomes the command id and the normalised command its fingerprint (a retry returns the first outcome, the same key
/// with another command is 422; keys are scoped to the caller), the caller's <see cref="Actor"/> travels with the
/// command (the grain checks it too), calls are retried while the cluster fails over (503 with Retry-After when they
/// cannot be), and a rejection becomes a ProblemDetails with its stable <c>code</c>. Every one of these answers is
/// declared on the endpoint, so the OpenAPI document lists them.
/// </summary>
/// <typeparam name="TGrain">The aggregate grain, keyed by the id in the route.</typeparam>
/// <typeparam name="TAccepted">What an accepted command returns.</typeparam>
public sealed class CommandRoutes<TGrain, TAccepted>
    where TGrain : IGrainWithStringKey
{
    private readonly IEndpointRouteBuilder _routes;
    private readonly string _idParameter;
    private readonly Func<string, CommandResult, TAccepted> _accepted;

    internal CommandRoutes(IEndpointRouteBuilder routes, string idParameter, Func<string, CommandResult, TAccepted> accepted)
    {
        _routes = routes;
        _idParameter = idParameter;
        _accepted = accepted;
    }

    /// <summary>
    /// A command with a JSON body on the aggregate named by the route's id parameter. <paramref name="operation"/>
    /// names the command in its fingerprint, so the same key on another operation is told apart; never change it
    /// once shipped (a retry would then be refused as a reused key).
    /// </summary>
    public RouteHandlerBuilder MapCommand<TRequest, TCommand>(
        string pattern,
        string operation,
        Func<TRequest, RequestFields, TCommand> toCommand,
        Func<TGrain, TCommand, CommandContext, Task<CommandResult>> send)
        where TCommand : notnull
    {
        ArgumentNullException.ThrowIfNull(toCommand);
        ArgumentNullException.ThrowIfNull(send);
        return _routes.MapPost(pattern, (
                TRequest request,
                HttpContext http,
                IGrainFactory grains) =>
            {
                if (!Callers.TryGetActor(http, out var actor))
                {
                    return Task.FromResult<Results<Ok<TAccepted>, ValidationProblem, ProblemHttpResult>>(AuthProblems.NoCaller());
                }

                if (request is null)
                {
                    return Task.FromResult<Results<Ok<TAccepted>, ValidationProblem, ProblemHttpResult>>(FieldChecks.MissingBody());
                }

                var fields = new RequestFields { Caller = actor };
                var id = RouteId(http, fields);
                var command = toCommand(request, fields);
                return RunAsync(id, fields, http.Request, operation, IdempotencyKey.CanonicalOf(command), (grain, context) => send(grain, command, context), grains, http.RequestAborted);
            })
            .WithMetadata(new RouteIdParameter(_idParameter))
            .AcceptsIdempotencyKey()
            .ProducesProblems(Answers.CommandProblems, StatusCodes.Status404NotFound, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
    }

    /// <summary>A command without a body on the aggregate named by the route's id parameter.</summary>
    public RouteHandlerBuilder MapCommand(string pattern, string operation, Func<TGrain, CommandContext, Task<CommandResult>> send)
    {
        ArgumentNullException.ThrowIfNull(send);
        return _routes.MapPost(pattern, (
                HttpContext http,
                IGrainFactory grains) =>
            {
                if (!Callers.TryGetActor(http, out var actor))
                {
                    return Task.FromResult<Results<Ok<TAccepted>, ValidationProblem, ProblemHttpResult>>(AuthProblems.NoCaller());
                }

                var fields = new RequestFields { Caller = actor };
                var id = RouteId(http, fields);
                return RunAsync(id, fields, http.Request, operation, "", send, grains, http.RequestAborted);
            })
            .WithMetadata(new RouteIdParameter(_idParameter))
            .AcceptsIdempotencyKey()
            .ProducesProblems(Answers.CommandProblems, StatusCodes.Status404NotFound);
    }

    /// <summary>
    /// A command that creates an aggregate: 201 with its location. Its id is the one the request names, else one
    /// derived from the <c>Idempotency-Key</c> (so a retry reaches the same aggregate; <paramref name="newIdScope"/>
    /// keeps ids of different kinds apart and must never change once shipped), else a new one. <paramref name="admit"/>,
    /// when given, may turn the request away before the aggregate is asked (a limit the aggregate alone cannot see);
    /// it is told the id, so that a retry of a creation already made can be let through to its replay.
    /// </summary>
    public RouteHandlerBuilder MapCreateCommand<TRequest, TCommand>(
        string pattern,
        string operation,
        string newIdScope,
        Func<TRequest, RequestFields, (string? RequestedId, TCommand Command)> toCommand,
        Func<TGrain, TCommand, CommandContext, Task<CommandResult>> send,
        Func<string, string> location,
        Func<string, TCommand, HttpContext, Task<Rejection?>>? admit = null)
        where TCommand : notnull
    {
        ArgumentNullException.ThrowIfNull(toCommand);
        ArgumentNullException.ThrowIfNull(send);
        ArgumentNullException.ThrowIfNull(location);
        return _routes.MapPost(pattern, async Task<Results<Created<TAccepted>, ValidationProblem, ProblemHttpResult>> (
                TRequest request,
                HttpContext http,
                IGrainFactory grains) =>
            {
                if (!Callers.TryGetActor(http, out var actor))
                {
                    return AuthProblems.NoCaller();
                }

                if (request is null)
                {
                    return FieldChecks.MissingBody();
                }

                var fields = new RequestFields { Caller = actor };
                var (requestedId, command) = toCommand(request, fields);
                if (fields.Refusal is { } refusal)
                {
                    return RejectionProblems.ToResult<Created<TAccepted>>(refusal);
                }

                var key = FieldChecks.IdempotencyKey(fields.Errors, http.Request);
                if (FieldChecks.Problem(fields.Errors) is { } invalid)
                {
                    return invalid;
                }

                var id = requestedId
                    ?? (key is null ? Guid.NewGuid() : IdempotencyKey.NewAggregateId(newIdScope, key, actor)).ToString("N");
                // The requested id is part of the content: the same key naming another aggregate is another request.
                var context = IdempotencyKey.ContextFor(key, id, operation, $"{IdempotencyKey.CanonicalOf(command)}\n{requestedId}", actor);
                if (admit is not null && await admit(id, command, http) is { } turnedAway)
                {
                    return RejectionProblems.ToResult<Created<TAccepted>>(turnedAway);
                }

                var grain = grains.GetGrain<TGrain>(id);
                var result = await GrainRetry.SendAsync(() => send(grain, command, context), http.RequestAborted);
                return result.Rejection is { } rejection
                    ? RejectionProblems.ToResult<Created<TAccepted>>(rejection)
                    : TypedResults.Created(location(id), _accepted(id, result));
            })
            .WithMetadata(CreationMetadata.Instance)
            .AcceptsIdempotencyKey()
            .ProducesProblems(Answers.CommandProblems, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
    }

    private string RouteId(HttpContext http, RequestFields fields)
    {
        var id = http.Request.RouteValues[_idParameter] as string;
        FieldChecks.Id(fields.Errors, _idParameter, id);
        return id ?? "";
    }

    private async Task<Results<Ok<TAccepted>, ValidationProblem, ProblemHttpResult>> RunAsync(
        string id,
        RequestFields fields,
        HttpRequest request,
        string operation,
        string canonicalCommand,
        Func<TGrain, CommandContext, Task<CommandResult>> send,
        IGrainFactory grains,
        CancellationToken cancellationToken)
    {
        if (fields.Refusal is { } refusal)
        {
            return RejectionProblems.ToResult<Ok<TAccepted>>(refusal);
        }

        var key = FieldChecks.IdempotencyKey(fields.Errors, request);
        if (FieldChecks.Problem(fields.Errors) is { } invalid)
        {
            return invalid;
        }

        var context = IdempotencyKey.ContextFor(key, id, operation, canonicalCommand, fields.Caller);
        var grain = grains.GetGrain<TGrain>(id);
        var result = await GrainRetry.SendAsync(() => send(grain, context), cancellationToken);
        return result.Rejection is { } rejection
            ? RejectionProblems.ToResult<Ok<TAccepted>>(rejection)
            : TypedResults.Ok(_accepted(id, result));
    }
}
