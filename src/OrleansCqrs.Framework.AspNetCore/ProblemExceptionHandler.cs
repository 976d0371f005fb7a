using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.Projections;
using OrleansCqrs.Framework.Roles;

namespace OrleansCqrs.Framework.AspNetCore;

/// <summary>
/// Turns whatever escapes an endpoint into ProblemDetails with a stable <c>code</c>: bad requests into 400/413/415
/// naming the field at fault; an unreachable store, a cluster still failing over or shedding load, a write that kept
/// losing races, or no silo up of the role a grain needs (every read silo down, say) into 503 with Retry-After (safe
/// to retry with the same Idempotency-Key); anything else into a 500 that says no more than that, logged as the bug
/// it is.
/// </summary>
public sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away (during a retry delay, say): nobody is left to answer.
            httpContext.Response.StatusCode = StatusCodes.Status499ClientClosedRequest;
            return true;
        }

        var problem = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } => FieldProblem(json),
            BadHttpRequestException bad when ParameterAtFault(bad) is { } parameter => ParameterProblem(parameter),
            BadHttpRequestException bad => Problem(bad.StatusCode, Title(bad.StatusCode), Code(bad.StatusCode), bad.Message),
            EventStoreUnavailableException => Unavailable(httpContext, exception, "The event store is unavailable.", "store-unavailable"),
            // Read models only: commands never need the read store, and a read changes nothing.
            ReadStoreUnavailableException => Unavailable(httpContext, exception, "The read store is unavailable.", "read-store-unavailable", "Retry the read later."),
            WrongExpectedVersionException => Unavailable(httpContext, exception, "Other writes to the same stream kept getting in first.", "write-conflict"),
            // Not retried by the front end (unless the refusing silo was still learning roles): no silo of that role may
            // come back for minutes, and the caller should hear so now.
            SiloRoleUnavailableException => Unavailable(httpContext, exception, "No silo of the role this request needs is up.", "role-unavailable"),
            _ when GrainRetry.IsTransient(exception) => Unavailable(httpContext, exception, "The cluster could not reach the grain in time.", "cluster-unavailable"),
            // A gateway silo past its CPU or memory threshold (LoadSheddingOptions) refuses client messages, and a silo
            // refuses calls past its own limits: retrying at once would only add to the load, so the caller waits.
            GatewayTooBusyException or LimitExceededException => Unavailable(httpContext, exception, "The cluster is overloaded and shedding load.", "cluster-overloaded"),
            AggregateFaultedException => Bug(exception, "The aggregate cannot be rebuilt from its events; it takes no command until fixed.", "aggregate-faulted"),
            _ => Bug(exception, "An unexpected error occurred.", "internal-error"),
        };

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails Problem(int status, string title, string code, string? detail = null) =>
        new() { Status = status, Title = title, Detail = detail, Extensions = { [RejectionProblems.CodeKey] = code } };

    private static ValidationProblemDetails FieldProblem(JsonException json)
    {
        var field = json.Path is null or "$" ? "body" : json.Path.TrimStart('$', '.');
        return new ValidationProblemDetails(new Dictionary<string, string[]>
        {
            [field] = [json.Path is null ? "The body is not valid JSON." : "The value is malformed or of the wrong type."],
        })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request body is invalid.",
            Extensions = { [RejectionProblems.CodeKey] = "invalid-body" },
        };
    }

    /// <summary>
    /// The query or route parameter a typed endpoint parameter could not be bound from (<c>?minVersion=abc</c>,
    /// <c>?waitMs=1.5</c>, <c>?waitMs=1&amp;waitMs=2</c>), read from ASP.NET Core's message, which names it after the
    /// parameter's type: the caller gets the field in <c>errors</c>, as every other 400 names it, not a .NET type name.
    /// The message gives the C# parameter's name, which is the query key on every endpoint here; an endpoint that
    /// renamed one (<c>[FromQuery(Name = ...)]</c>) would need the key looked up in its metadata instead.
    /// </summary>
    internal static string? ParameterAtFault(BadHttpRequestException exception) =>
        BindFailure().Match(exception.Message) is { Success: true } match ? match.Groups["name"].Value : null;

    private static ValidationProblemDetails ParameterProblem(string parameter) =>
        new(new Dictionary<string, string[]> { [parameter] = ["The value is malformed or of the wrong type."] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = FieldChecks.InvalidTitle,
            Extensions = { [RejectionProblems.CodeKey] = Code(StatusCodes.Status400BadRequest) },
        };

    // "Failed to bind parameter "Nullable<long> minVersion" from "abc"." and "Required parameter "int limit" was not
    // provided from query string.": the type may hold spaces (Dictionary<string, int>), the name does not.
    [GeneratedRegex("""^(?:Failed to bind|Required) parameter "[^"]+ (?<name>[A-Za-z_][A-Za-z0-9_]*)" (?:from|was not provided)""", RegexOptions.CultureInvariant)]
    private static partial Regex BindFailure();

    private ProblemDetails Unavailable(
        HttpContext httpContext,
        Exception exception,
        string title,
        string code,
        string? detail = null)
    {
        // A read changed nothing, so it has nothing to find out; a command may have been applied before the failure.
        detail ??= HttpMethods.IsGet(httpContext.Request.Method) || HttpMethods.IsHead(httpContext.Request.Method)
            ? "Nothing was changed. Retry the read later."
            : "The command may or may not have been applied. Retry with the same Idempotency-Key to find out safely.";
        LogUnavailable(exception, code);
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return Problem(StatusCodes.Status503ServiceUnavailable, title, code, detail);
    }

    private ProblemDetails Bug(Exception exception, string title, string code)
    {
        LogUnexpected(exception, code);
        return Problem(StatusCodes.Status500InternalServerError, title, code);
    }

    /// <summary>
    /// Gives a problem that ASP.NET Core answered itself, with no exception reaching this handler, the <c>code</c>
    /// every other problem carries: a body over the size limit or not JSON (the title and code the same failure gets
    /// when it arrives as an exception), an unknown route (<c>route-not-found</c>, so a client tells it from a missing
    /// item's own 404 code), a method the route does not take (<c>method-not-allowed</c>, with the routing's
    /// <c>Allow</c> header), and a field's 400 whose check named no code of its own (<c>invalid-request</c>).
    /// </summary>
    internal static void CompleteBareProblem(ProblemDetails problem)
    {
        // Only the statuses ASP.NET Core answers on its own: any other without a code is a handler's or middleware's
        // oversight, and a guessed code (a 503 called a bug) would mislead more than none.
        if (problem.Status is not ({ } status and (StatusCodes.Status400BadRequest or StatusCodes.Status404NotFound
                or StatusCodes.Status405MethodNotAllowed or StatusCodes.Status413PayloadTooLarge or StatusCodes.Status415UnsupportedMediaType))
            || problem.Extensions.ContainsKey(RejectionProblems.CodeKey))
        {
            return;
        }

        if (status is StatusCodes.Status413PayloadTooLarge or StatusCodes.Status415UnsupportedMediaType)
        {
            problem.Title = Title(status);
        }

        problem.Extensions[RejectionProblems.CodeKey] = Code(status);
    }

    private static string Title(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
        StatusCodes.Status415UnsupportedMediaType => "The request body must be application/json.",
        _ => FieldChecks.InvalidTitle,
    };

    private static string Code(int status) => status switch
    {
        StatusCodes.Status404NotFound => "route-not-found",
        StatusCodes.Status405MethodNotAllowed => "method-not-allowed",
        StatusCodes.Status413PayloadTooLarge => "body-too-large",
        StatusCodes.Status415UnsupportedMediaType => "unsupported-media-type",
        _ => "invalid-request",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "A request failed because the store or the cluster is unavailable ({Code})")]
    private partial void LogUnavailable(Exception exception, string code);

    [LoggerMessage(Level = LogLevel.Error, Message = "A request failed unexpectedly ({Code})")]
    private partial void LogUnexpected(Exception exception, string code);
}
