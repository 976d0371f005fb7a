using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Api.Infrastructure;

/// <summary>The one place where a domain rejection becomes an HTTP problem.</summary>
public static class RejectionProblems
{
    public static IResult ToProblem(Rejection rejection)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        var extensions = new Dictionary<string, object?> { ["code"] = rejection.Code };
        return rejection.Kind switch
        {
            RejectionKind.Invalid => TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { [rejection.Field ?? "body"] = [rejection.Message] },
                title: "The command is invalid.",
                extensions: extensions),
            RejectionKind.NotFound => TypedResults.Problem(rejection.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found.", extensions: extensions),
            RejectionKind.CommandIdReused => TypedResults.Problem(
                "This Idempotency-Key was already used with a different request.",
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "Idempotency-Key reused.",
                extensions: extensions),
            _ => TypedResults.Problem(rejection.Message, statusCode: StatusCodes.Status409Conflict, title: "The command breaks a business rule.", extensions: extensions),
        };
    }
}
