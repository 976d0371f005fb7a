using System.Diagnostics;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using OrleansCqrs.Framework.Telemetry;

namespace OrleansCqrs.Framework.AspNetCore.Limits;

/// <summary>Refusals and timeouts as ProblemDetails with a stable <c>code</c> and a Retry-After in seconds.</summary>
internal static class LimitProblems
{
    public const string RequestTimeout = "request-timeout";
    public const string LimitKey = "limit";

    /// <summary>A request a limit refused: 429 or 503 as the refusal says, Retry-After from the limiter when it can tell.</summary>
    public static async ValueTask RefuseAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var refusal = context.Lease.TryGetMetadata(LimitRefusal.MetadataName, out var named) && named is not null
            ? named
            : LimitRefusal.Rate("unknown");
        CqrsMetrics.LimitRefusals.Add(1, new TagList { { "limit", refusal.Limit }, { "code", refusal.Code } });
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : refusal.RetryAfter;
        var seconds = RetryAfter(context.HttpContext, retryAfter);
        var problem = new ProblemDetails
        {
            Status = refusal.Status,
            Title = refusal.Title,
            Detail = string.Create(CultureInfo.InvariantCulture, $"The limit {CqrsLimitsOptions.SectionName}:{refusal.Limit} refused this request. Retry after {seconds} s."),
            Extensions = { [RejectionProblems.CodeKey] = refusal.Code, [LimitKey] = refusal.Limit },
        };
        context.HttpContext.Response.StatusCode = refusal.Status;
        await TypedResults.Problem(problem).ExecuteAsync(context.HttpContext);
    }

    /// <summary>A request that ran past its timeout: the front end stopped waiting for it.</summary>
    public static Task TimedOutAsync(HttpContext context)
    {
        var seconds = RetryAfter(context, TimeSpan.FromSeconds(ProblemExceptionHandler.RetryAfterSeconds));
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "The request took too long.",
            Detail = string.Create(CultureInfo.InvariantCulture, $"The front end stopped waiting for an answer. A command may or may not have been applied: retry with the same Idempotency-Key (after {seconds} s) to find out safely."),
            Extensions = { [RejectionProblems.CodeKey] = RequestTimeout },
        };
        return TypedResults.Problem(problem).ExecuteAsync(context);
    }

    private static int RetryAfter(HttpContext context, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return seconds;
    }
}
