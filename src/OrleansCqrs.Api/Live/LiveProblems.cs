using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.AspNetCore;
using OrleansCqrs.Framework.AspNetCore.Security;

namespace OrleansCqrs.Api.Live;

/// <summary>
/// A listener that is not admitted: 429 when its caller holds as many live connections as one may, else 503; with
/// Retry-After and a stable <c>code</c>.
/// </summary>
internal static class LiveProblems
{
    public const string ListenersFull = "live-listeners-full";
    public const string ListenersPerCaller = "live-listeners-per-caller";
    public const string DirectoryBehind = "live-directory-behind";

    /// <summary>Every account's updates: for operators; a caller that acts for no customer has nothing else to listen to.</summary>
    public static Rejection OperatorsOnly { get; } =
        new(RejectionKind.Forbidden, AuthProblems.Forbidden, "Only an operator listens to every account; filter by your customerId or accountId.");

    public static ProblemHttpResult Refused(HttpContext context, LiveRefusal refusal)
    {
        context.Response.Headers.RetryAfter = ProblemExceptionHandler.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        var (status, code, title, detail) = refusal switch
        {
            LiveRefusal.ListenersFull => (StatusCodes.Status503ServiceUnavailable, ListenersFull, "Too many live listeners.", "This front end serves as many live connections as it is configured for (OrleansCqrs:Live:MaxListeners). Retry later."),
            LiveRefusal.CallerListenersFull => (StatusCodes.Status429TooManyRequests, ListenersPerCaller, "Too many live connections of this caller.", "This caller has as many live connections open as one caller may (OrleansCqrs:Live:MaxListenersPerCaller). Close one, or retry later."),
            _ => (StatusCodes.Status503ServiceUnavailable, DirectoryBehind, "The customer's accounts are not known yet.", "The ledger could not say in time which accounts the customer holds. Retry later."),
        };
        return TypedResults.Problem(detail, statusCode: status, title: title, extensions: new Dictionary<string, object?> { [RejectionProblems.CodeKey] = code });
    }
}
