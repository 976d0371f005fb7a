using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansCqrs.Framework.AspNetCore.Security;

/// <summary>
/// The development token issuer: <c>POST /api/dev/token</c> signs a token for whoever asks, so that a fresh machine
/// can call the API without an identity provider. It exists only when <see cref="AuthSettings.DevelopmentTokens"/> is
/// on, which start-up refuses unless the app listens on loopback only; it also answers only requests that arrived on
/// a loopback interface and carry no header a reverse proxy adds.
/// </summary>
public sealed class DevelopmentTokens(TokenIssuer issuer, IReadOnlyList<string> roles)
{
    public const string Path = "/api/dev/token";
    public const long MaxBodyBytes = 4 * 1024;
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    /// <summary>Headers a reverse proxy adds to what it relays (RFC 7239 and the de facto ones).</summary>
    private static readonly string[] RelayHeaders = ["Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Real-IP"];

    private readonly TokenIssuer _issuer = issuer;
    private readonly IReadOnlyList<string> _roles = roles;

    /// <summary>Maps the issuer when development tokens are on; otherwise maps nothing (the path answers 404).</summary>
    public static IEndpointRouteBuilder MapDevelopmentTokens(IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        if (routes.ServiceProvider.GetService<DevelopmentTokens>() is not null)
        {
            routes.MapPost(Path, Issue)
                .AllowAnonymous()
                .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
                // A token is as lasting as an account for the hour it lives: minting counts against the creation limit.
                .WithMetadata(CreationMetadata.Instance)
                .ProducesProblems([], StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType)
                .WithTags("Development")
                .WithName("IssueDevelopmentToken")
                .WithSummary("Anyone (development only): a bearer token for a customer, roles, or both.")
                .WithDescription("Exists only when OrleansCqrs:Auth:DevelopmentTokens is true (the embedded mode's default) and the app listens on loopback only. "
                    + "{\"customerId\": \"alice\"} gives a customer token (sub = customer_id = alice); {\"roles\": [\"operator\"]} an operator token (sub = operator); both, a customer with roles. "
                    + "Tokens last an hour.");
        }

        return routes;
    }

    private static Results<Ok<DevelopmentTokenResponse>, ValidationProblem, NotFound> Issue(DevelopmentTokenRequest? request, HttpContext http, DevelopmentTokens tokens)
    {
        if (http.Connection.LocalIpAddress is { } local && !IPAddress.IsLoopback(local.IsIPv4MappedToIPv6 ? local.MapToIPv4() : local))
        {
            // Reached through a listener start-up did not see (one configured in code): as if it did not exist.
            return TypedResults.NotFound();
        }

        if (RelayHeaders.Any(http.Request.Headers.ContainsKey))
        {
            // A reverse proxy on this host reaches the app from loopback too: whom it relays is not a local caller.
            return TypedResults.NotFound();
        }

        var errors = new Dictionary<string, string[]>();
        var customerId = request?.CustomerId;
        var roles = request?.Roles ?? [];
        if (customerId is null && roles.Count == 0)
        {
            errors["body"] = ["Name a customerId, roles, or both."];
        }

        if (customerId is not null)
        {
            FieldChecks.Id(errors, "customerId", customerId);
        }

        if (roles.Any(role => role is null))
        {
            errors["roles"] = ["A role is a name, never null."];
        }
        else if (roles.FirstOrDefault(role => !tokens._roles.Contains(role, StringComparer.Ordinal)) is { } unknown)
        {
            errors["roles"] = [$"Unknown role '{(unknown.Length > 40 ? unknown[..40] + "…" : unknown)}'; the roles are: {string.Join(", ", tokens._roles)}."];
        }

        if (FieldChecks.Problem(errors) is { } invalid)
        {
            return invalid;
        }

        var distinctRoles = roles.Distinct(StringComparer.Ordinal).ToList();
        var token = tokens._issuer.Create(customerId ?? distinctRoles[0], customerId, distinctRoles, Lifetime);
        return TypedResults.Ok(new DevelopmentTokenResponse(token, "Bearer", (int)Lifetime.TotalSeconds));
    }
}
