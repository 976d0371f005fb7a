using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.AspNetCore;
using OrleansCqrs.Framework.AspNetCore.Security;

namespace OrleansCqrs.Api.Live;

/// <summary>A listener that is not admitted: 503 with Retry-After and a stable <c>code</c>.</summary>
internal static class LiveProblems
{
    public const string ListenersFull = "live-listeners-full";
    public const string DirectoryBehind = "live-directory-behind";

    /// <summary>Every account's updates: for operators; a caller that acts for no customer has nothing else to listen to.</summary>
    public static Rejection OperatorsOnly { get; } =
        new(RejectionKind.Forbidden, AuthProblems.Forbidden, "Only an operator listens to every account; filter by your customerId or accountId.");

    public static ProblemHttpResult Refused(HttpContext context, LiveRefusal refusal)
    {
        context.Response.Headers.RetryAfter = ProblemExceptionHandler.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        var (code, title, detail) = refusal switch
        {
            LiveRefusal.ListenersFull => (ListenersFull, "Too many live listeners.", "This front end serves as many live connections as it is configured for (OrleansCqrs:Live:MaxListeners). Retry later."),
            _ => (DirectoryBehind, "The customer's accounts are not known yet.", "The ledger could not say in time which accounts the customer holds. Retry later."),
        };
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: title, extensions: new Dictionary<string, object?> { ["code"] = code });
    }
}
