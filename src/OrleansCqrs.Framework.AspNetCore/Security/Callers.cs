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
    public Actor? ActorOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true || user.FindFirst(JwtRegisteredClaimNames.Sub)?.Value is not { Length: > 0 } subject)
        {
            return null;
        }

        // A party that is not a valid id can own nothing: it is dropped, not trusted.
        var party = user.FindFirst(settings.CustomerClaim)?.Value;
        var roles = user.FindAll(settings.RoleClaim).Select(c => c.Value).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return new Actor(subject, IdFormat.IsValid(party) ? party : null, [.. roles]);
    }

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
