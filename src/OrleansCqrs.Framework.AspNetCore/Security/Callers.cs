using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Framework.AspNetCore.Security;

/// <summary>
/// Who calls, as the grains see it: the authenticated user's claims mapped to an <see cref="Actor"/> (<c>sub</c> →
/// Subject, the customer claim → Party, the role claims → Roles). Registered by <see cref="CqrsAuthentication"/>; an
/// app without it has no authentication and every request is a trusted caller (a null actor).
/// </summary>
public sealed class Callers(AuthSettings settings)
{
    /// <summary>The actor of an authenticated user with a subject, else null.</summary>
    /// <remarks>
    /// One pass over the claims (it runs for every request): claim types match ignoring case, the first subject and
    /// party win, as <see cref="ClaimsPrincipal.FindFirst(string)"/> would have it.
    /// </remarks>
    public Actor? ActorOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        string? subject = null;
        string? party = null;
        List<string>? roles = null;
        foreach (var claim in user.Claims)
        {
            if (subject is null && Is(claim, JwtRegisteredClaimNames.Sub))
            {
                subject = claim.Value;
            }

            if (party is null && Is(claim, settings.CustomerClaim))
            {
                party = claim.Value;
            }

            if (claim.Value.Length > 0 && Is(claim, settings.RoleClaim))
            {
                (roles ??= []).Add(claim.Value);
            }
        }

        if (subject is not { Length: > 0 })
        {
            return null;
        }

        // A party that is not a valid id can own nothing: it is dropped, not trusted.
        return new Actor(subject, IdFormat.IsValid(party) ? party : null, Roles(roles));
    }

    private static bool Is(Claim claim, string type) => string.Equals(claim.Type, type, StringComparison.OrdinalIgnoreCase);

    private static ImmutableArray<string> Roles(List<string>? roles) => roles switch
    {
        null => [],
        [var only] => [only],
        _ => [.. roles.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
    };

    /// <summary>
    /// The actor a request acts as: <c>true</c> with a null actor when the app has no authentication (a trusted
    /// caller, as before authentication existed); <c>false</c> when it has and the request carries no valid identity.
    /// </summary>
    public static bool TryGetActor(HttpContext http, out Actor? actor)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.RequestServices.GetService<Callers>() is not { } callers)
        {
            actor = null;
            return true;
        }

        actor = callers.ActorOf(http.User);
        return actor is not null;
    }
}
