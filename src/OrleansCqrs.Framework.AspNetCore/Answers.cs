using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OrleansCqrs.Framework.AspNetCore;

/// <summary>
/// Declares on an endpoint the problems it can answer with beyond those its typed result names (a 400 validation
/// problem is named by <c>ValidationProblem</c>; these come from rejections and from <see cref="ProblemExceptionHandler"/>).
/// </summary>
public static class Answers
{
    /// <summary>
    /// Any command: a broken business rule (409), a reused Idempotency-Key (422), the caller over its rate limit (429),
    /// an unreachable store or cluster, an overloaded cluster or a request that took too long (503).
    /// </summary>
    public static readonly int[] CommandProblems =
        [StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status429TooManyRequests, StatusCodes.Status503ServiceUnavailable];

    /// <summary>Any read: the caller over its limits (429); the cluster cannot reach the read model in time, or the front end is full (503).</summary>
    public static readonly int[] QueryProblems = [StatusCodes.Status429TooManyRequests, StatusCodes.Status503ServiceUnavailable];

    public static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder endpoint, int[] common, params int[] statuses)
    {
        ArgumentNullException.ThrowIfNull(common);
        ArgumentNullException.ThrowIfNull(statuses);
        foreach (var status in common.Concat(statuses).Distinct().Order())
        {
            endpoint.ProducesProblem(status);
        }

        return endpoint;
    }
}
