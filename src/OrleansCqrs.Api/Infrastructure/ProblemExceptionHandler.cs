using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using OrleansCqrs.Framework.EventStore;

namespace OrleansCqrs.Api.Infrastructure;

/// <summary>
/// Turns what escapes an endpoint into ProblemDetails: bad requests into 400/413/415 naming the field at fault, an
/// unreachable store or a cluster still failing over into 503 with Retry-After. Anything else is a bug and stays a 500.
/// </summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } => FieldProblem(json),
            BadHttpRequestException bad => new ProblemDetails { Status = bad.StatusCode, Title = Title(bad.StatusCode), Detail = bad.Message },
            EventStoreUnavailableException => Unavailable(httpContext, exception, "The event store is unavailable."),
            _ when GrainRetry.IsTransient(exception) => Unavailable(httpContext, exception, "The cluster could not reach the grain in time."),
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

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
        };
    }

    private ProblemDetails Unavailable(HttpContext httpContext, Exception exception, string title)
    {
        LogUnavailable(exception);
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = title,
            Detail = "The command may or may not have been applied. Retry with the same Idempotency-Key to find out safely.",
        };
    }

    private static string Title(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
        StatusCodes.Status415UnsupportedMediaType => "The request body must be application/json.",
        _ => "The request is invalid.",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "A request failed because the store or the cluster is unavailable")]
    private partial void LogUnavailable(Exception exception);
}
