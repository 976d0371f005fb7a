using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.AspNetCore.Security;
using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Framework.AspNetCore;

/// <summary>
/// Command and query endpoints in a line each: <see cref="ForCommands"/> or <see cref="ForAggregate"/> for an
/// aggregate's commands, <c>MapQuery</c> or <see cref="MapReadModel"/> for a read model that can be asked to reflect a
/// version or a position.
/// </summary>
public static class CqrsEndpoints
{
    /// <summary>
    /// The commands of aggregate <typeparamref name="TGrain"/>, keyed by the route parameter
    /// <paramref name="idParameter"/>; <paramref name="accepted"/> is what an accepted command returns.
    /// </summary>
    public static CommandRoutes<TGrain, TAccepted> ForCommands<TGrain, TAccepted>(
        this IEndpointRouteBuilder routes,
        string idParameter,
        Func<string, CommandResult, TAccepted> accepted)
        where TGrain : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentException.ThrowIfNullOrEmpty(idParameter);
        ArgumentNullException.ThrowIfNull(accepted);
        return new CommandRoutes<TGrain, TAccepted>(routes, idParameter, accepted);
    }

    /// <summary>
    /// The commands of an aggregate whose grain takes them all through <see cref="IAggregateGrain{TCommand}.Execute"/>,
    /// keyed by the route parameter <paramref name="idParameter"/>.
    /// </summary>
    public static AggregateRoutes<TGrain, TCommand, TAccepted> ForAggregate<TGrain, TCommand, TAccepted>(
        this IEndpointRouteBuilder routes,
        string idParameter,
        Func<string, CommandResult, TAccepted> accepted)
        where TGrain : IAggregateGrain<TCommand>
        where TCommand : class =>
        new(routes.ForCommands<TGrain, TAccepted>(idParameter, accepted));

    /// <summary>
    /// A read of the view a stream projection serves for the id in the route, through the framework's stateless
    /// <see cref="IReadModelQueries"/>; otherwise as a <c>MapQuery</c> of a <see cref="ProjectionRead{TView}"/> with <see cref="ReadAfter.Version"/>.
    /// </summary>
    public static RouteHandlerBuilder MapReadModel<TProjection, TView>(
        this IEndpointRouteBuilder routes,
        string pattern,
        string idParameter,
        Rejection notFound,
        Func<Actor, TView, bool>? mayRead = null)
        where TProjection : IStreamProjection<TView>
        where TView : class =>
        routes.MapQuery(pattern, idParameter, ReadAfter.Version, (grains, read) => grains.GetGrain<IReadModelQueries>(0).Get<TProjection, TView>(read.Id, read.Minimum, read.Wait), notFound, mayRead);

    /// <summary>
    /// A read of one item of a stream's read model, named by the route parameter <paramref name="idParameter"/>: the
    /// id and <c>minVersion</c>/<c>minPosition</c> and <c>waitMs</c> are checked (400), the read is retried while the
    /// cluster fails over (503 when it cannot be), an answer that does not reflect what was asked is marked
    /// <c>X-Read-Stale: true</c>, and an item that does not exist, or that <paramref name="mayRead"/> says the caller
    /// may not see, is <paramref name="notFound"/> (404 with its code). In an app with authentication a read needs a caller (401 without).
    /// </summary>
    public static RouteHandlerBuilder MapQuery<TView>(
        this IEndpointRouteBuilder routes,
        string pattern,
        string idParameter,
        ReadAfter after,
        Func<IGrainFactory, ReadRequest, Task<ProjectionRead<TView>>> read,
        Rejection notFound,
        Func<Actor, TView, bool>? mayRead = null)
        where TView : class
    {
        ArgumentNullException.ThrowIfNull(read);
        return MapItem(routes, pattern, idParameter, after, async (grains, request) => ReadAnswer.Of(await read(grains, request)), notFound, mayRead);
    }

    /// <summary>
    /// A read of one item of a read model of the global log (its answer reflects a position: <c>minPosition</c>);
    /// otherwise as <see cref="MapQuery{TView}(IEndpointRouteBuilder, string, string, ReadAfter, Func{IGrainFactory, ReadRequest, Task{ProjectionRead{TView}}}, Rejection, Func{Actor, TView, bool})"/>.
    /// </summary>
    public static RouteHandlerBuilder MapQuery<TView>(
        this IEndpointRouteBuilder routes,
        string pattern,
        string idParameter,
        Func<IGrainFactory, ReadRequest, Task<LogRead<TView>>> read,
        Rejection notFound,
        Func<Actor, TView, bool>? mayRead = null)
        where TView : class
    {
        ArgumentNullException.ThrowIfNull(read);
        return MapItem(routes, pattern, idParameter, ReadAfter.Position, async (grains, request) => ReadAnswer.Of(await read(grains, request)), notFound, mayRead);
    }

    /// <summary>
    /// A read of a whole read model of the global log (no id), answered as <paramref name="respond"/> shapes it from the
    /// view and the global position it reflects; <c>minPosition</c> asks for at least a position, otherwise as the
    /// read of one item.
    /// </summary>
    public static RouteHandlerBuilder MapQuery<TView, TResponse>(
        this IEndpointRouteBuilder routes,
        string pattern,
        Func<IGrainFactory, ReadRequest, Task<LogRead<TView>>> read,
        Func<TView, long, TResponse> respond)
        where TView : class
    {
        ArgumentNullException.ThrowIfNull(read);
        return MapRead(routes, pattern, null, ReadAfter.Position, async (grains, request) => ReadAnswer.Of(await read(grains, request)), respond, null, null)
            .ProducesProblems(Answers.QueryProblems);
    }

    private static RouteHandlerBuilder MapItem<TView>(
        IEndpointRouteBuilder routes,
        string pattern,
        string idParameter,
        ReadAfter after,
        Func<IGrainFactory, ReadRequest, Task<ReadAnswer<TView>>> read,
        Rejection notFound,
        Func<Actor, TView, bool>? mayRead)
        where TView : class
    {
        ArgumentException.ThrowIfNullOrEmpty(idParameter);
        ArgumentNullException.ThrowIfNull(notFound);
        return MapRead(routes, pattern, idParameter, after, read, (view, _) => view, notFound, mayRead)
            .WithMetadata(new RouteIdParameter(idParameter))
            .ProducesProblems(Answers.QueryProblems, StatusCodes.Status404NotFound);
    }

    private static RouteHandlerBuilder MapRead<TView, TResponse>(
        IEndpointRouteBuilder routes,
        string pattern,
        string? idParameter,
        ReadAfter after,
        Func<IGrainFactory, ReadRequest, Task<ReadAnswer<TView>>> read,
        Func<TView, long, TResponse> respond,
        Rejection? notFound,
        Func<Actor, TView, bool>? mayRead)
        where TView : class
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(respond);

        // The parameter's name is the contract a caller sees, so each kind gets a handler of its own.
        var endpoint = after == ReadAfter.Version
            ? routes.MapGet(pattern, (long? minVersion, int? waitMs, HttpContext http, IGrainFactory grains) =>
                ReadAsync(http, grains, idParameter, "minVersion", minVersion, waitMs, read, respond, notFound, mayRead))
            : routes.MapGet(pattern, (long? minPosition, int? waitMs, HttpContext http, IGrainFactory grains) =>
                ReadAsync(http, grains, idParameter, "minPosition", minPosition, waitMs, read, respond, notFound, mayRead));
        return endpoint.WithReadWait();
    }

    private static async Task<Results<Ok<TResponse>, ValidationProblem, ProblemHttpResult>> ReadAsync<TView, TResponse>(
        HttpContext http,
        IGrainFactory grains,
        string? idParameter,
        string minimumName,
        long? minimum,
        int? waitMs,
        Func<IGrainFactory, ReadRequest, Task<ReadAnswer<TView>>> read,
        Func<TView, long, TResponse> respond,
        Rejection? notFound,
        Func<Actor, TView, bool>? mayRead)
        where TView : class
    {
        if (!Callers.TryGetActor(http, out var caller))
        {
            return AuthProblems.NoCaller();
        }

        var errors = new Dictionary<string, string[]>();
        var id = "";
        if (idParameter is not null)
        {
            id = http.Request.RouteValues[idParameter] as string ?? "";
            FieldChecks.Id(errors, idParameter, id);
        }

        ReadWait.Check(errors, minimumName, minimum, waitMs);
        if (FieldChecks.Problem(errors) is { } invalid)
        {
            return invalid;
        }

        var request = new ReadRequest(id, minimum ?? 0, ReadWait.Of(waitMs), caller);
        if (caller is not null && mayRead is not null && request.Minimum > 0 && request.Wait > TimeSpan.Zero)
        {
            // Whose item it is is settled before any wait: a wait that ended as soon as another party's item reached the
            // version asked for would tell that party's version, and each of its changes, to whoever asked.
            var now = await GrainRetry.QueryAsync(() => read(grains, request with { Minimum = 0, Wait = TimeSpan.Zero }), TimeSpan.Zero, http.RequestAborted);
            if (now.View is not null && !mayRead(caller, now.View))
            {
                return NotFound<TResponse>(http, notFound);
            }
        }

        var answer = await GrainRetry.QueryAsync(() => read(grains, request), request.Wait, http.RequestAborted);
        // Another party's item is answered as a missing one, so that ids cannot be probed.
        if (answer.View is null || (caller is not null && mayRead is not null && !mayRead(caller, answer.View)))
        {
            return NotFound<TResponse>(http, notFound);
        }

        ReadWait.MarkStale(http.Response, answer.Stale);
        return TypedResults.Ok(respond(answer.View, answer.Reflects));
    }

    private static Results<Ok<TResponse>, ValidationProblem, ProblemHttpResult> NotFound<TResponse>(HttpContext http, Rejection? notFound) =>
        notFound is not null
            ? RejectionProblems.ToResult<Ok<TResponse>>(notFound)
            : throw new InvalidOperationException($"The read model behind {http.Request.Path} returned no view.");
}
