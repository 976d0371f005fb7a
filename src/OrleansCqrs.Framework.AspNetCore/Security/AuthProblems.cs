using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.IdentityModel.Tokens;

namespace OrleansCqrs.Framework.AspNetCore.Security;

/// <summary>
/// Challenges and refusals answered as ProblemDetails with a stable <c>code</c>: the JwtBearer handler still writes
/// 401 with its <c>WWW-Authenticate: Bearer</c> header (with the error and its description) or 403, and this adds the
/// body every other error of the API has.
/// </summary>
public sealed class AuthProblems(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    public const string Unauthenticated = "unauthenticated";
    public const string InvalidToken = "invalid-token";
    public const string TokenExpired = "token-expired";
    public const string Forbidden = "forbidden";

    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(authorizeResult);

        // Allowed (nearly every request): on to the endpoint, as the default handler does, without a state machine of
        // this method's own around the rest of the request.
        return authorizeResult.Succeeded ? next(context) : RefuseAsync(next, context, policy, authorizeResult);
    }

    private async Task RefuseAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(policy);
        await _default.HandleAsync(next, context, policy, authorizeResult);
        if (context.Response.HasStarted)
        {
            return;
        }

        var problem = context.Response.StatusCode switch
        {
            StatusCodes.Status401Unauthorized => await ChallengeProblemAsync(context),
            StatusCodes.Status403Forbidden => ForbiddenProblem(policy),
            _ => null,
        };
        if (problem is not null)
        {
            await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
        }
    }

    private static async Task<ProblemDetails> ChallengeProblemAsync(HttpContext context)
    {
        // The handler authenticates once per request: this is the failure it already found, not a second validation.
        var failure = (await context.AuthenticateAsync()).Failure;
        var (code, detail) = failure switch
        {
            null => (Unauthenticated, "Send a bearer token: Authorization: Bearer <token>."),
            SecurityTokenExpiredException => (TokenExpired, "The bearer token has expired; get a new one."),
            _ => (InvalidToken, "The bearer token is not valid here (signature, issuer or audience); see the WWW-Authenticate header."),
        };
        return Problem(StatusCodes.Status401Unauthorized, "Authentication required.", code, detail);
    }

    private static ProblemDetails ForbiddenProblem(AuthorizationPolicy policy)
    {
        var roles = policy.Requirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles).Distinct().ToList();
        var detail = roles.Count > 0
            ? $"Only callers with the role {string.Join(" or ", roles)} may do this."
            : "The caller may not do this.";
        return Problem(StatusCodes.Status403Forbidden, "Forbidden.", Forbidden, detail);
    }

    /// <summary>
    /// The 401 an endpoint answers itself when it finds no caller in an app with authentication (only reachable when
    /// the endpoint was opened to anonymous callers): nothing is ever done as the trusted null actor for a stranger.
    /// </summary>
    public static ProblemHttpResult NoCaller() =>
        TypedResults.Problem(
            "Send a bearer token: Authorization: Bearer <token>.",
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Authentication required.",
            extensions: new Dictionary<string, object?> { [RejectionProblems.CodeKey] = Unauthenticated });

    private static ProblemDetails Problem(int status, string title, string code, string detail) =>
        new() { Status = status, Title = title, Detail = detail, Extensions = { [RejectionProblems.CodeKey] = code } };
}
