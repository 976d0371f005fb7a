using System.Globalization;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace OrleansCqrs.Framework.AspNetCore.Security;

/// <summary>How long the caller's token has left, from its <c>exp</c> claim: what a long-lived response must not outlive.</summary>
public static class TokenLifetime
{
    /// <summary>The time until the token of <paramref name="user"/> expires (zero if it has), or null without an <c>exp</c> (no authentication).</summary>
    public static TimeSpan? Remaining(ClaimsPrincipal user, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(time);
        if (user.FindFirst(JwtRegisteredClaimNames.Exp)?.Value is not { } exp
            || !long.TryParse(exp, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
        {
            return null;
        }

        var left = DateTimeOffset.FromUnixTimeSeconds(seconds) - time.GetUtcNow();
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}
