using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Framework.AspNetCore;

/// <summary>The one place where a domain rejection becomes an HTTP problem, its <c>code</c> kept for the caller.</summary>
public static class RejectionProblems
{
    public const string CodeKey = "code";

    public static IResult ToProblem(Rejection rejection) => ToResult<IResult>(rejection).Result;

    /// <summary>
    /// A rejection answered with <paramref name="statusCode"/> rather than its kind's status (e.g. 422 for a request
    /// that a check before the command finds unprocessable as a whole), its code and message kept.
    /// </summary>
    public static Results<TSuccess, ValidationProblem, ProblemHttpResult> ToResult<TSuccess>(Rejection rejection, int statusCode)
        where TSuccess : IResult
    {
        ArgumentNullException.ThrowIfNull(rejection);
        return TypedResults.Problem(
            rejection.Message,
            statusCode: statusCode,
            title: "The request cannot be processed.",
            extensions: new Dictionary<string, object?> { [CodeKey] = rejection.Code });
    }

    /// <summary>The rejection as one of the outcomes a typed handler declares: 400 for an invalid command, else 403/404/409/422.</summary>
    public static Results<TSuccess, ValidationProblem, ProblemHttpResult> ToResult<TSuccess>(Rejection rejection)
        where TSuccess : IResult
    {
        ArgumentNullException.ThrowIfNull(rejection);
        var extensions = new Dictionary<string, object?> { [CodeKey] = rejection.Code };
        return rejection.Kind switch
        {
            RejectionKind.Invalid => TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { [rejection.Field ?? "body"] = [rejection.Message] },
                title: "The command is invalid.",
                extensions: extensions),
            RejectionKind.NotFound => TypedResults.Problem(rejection.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found.", extensions: extensions),
            RejectionKind.Forbidden => TypedResults.Problem(rejection.Message, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden.", extensions: extensions),
            RejectionKind.CommandIdReused => TypedResults.Problem(
                "This Idempotency-Key was already used with a different request.",
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "Idempotency-Key reused.",
                extensions: extensions),
            _ => TypedResults.Problem(rejection.Message, statusCode: StatusCodes.Status409Conflict, title: "The command breaks a business rule.", extensions: extensions),
        };
    }
}
