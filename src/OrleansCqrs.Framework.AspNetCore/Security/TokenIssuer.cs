using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OrleansCqrs.Framework.AspNetCore.Security;

/// <summary>
/// Signs bearer tokens the API accepts (HS256 with a shared key): the development issuer's, and the tokens tests and
/// scripts make for a front end that was given the same key.
/// </summary>
public sealed class TokenIssuer
{
    private static readonly JsonWebTokenHandler Handler = new();
    private readonly SigningCredentials _credentials;
    private readonly AuthSettings _settings;

    public TokenIssuer(byte[] key, AuthSettings settings)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(settings);
        _credentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256);
        _settings = settings;
    }

    /// <summary>
    /// A token for <paramref name="subject"/> acting for customer <paramref name="customerId"/> (if any) with
    /// <paramref name="roles"/>, valid from <paramref name="issuedAt"/> (now if null) for <paramref name="lifetime"/>.
    /// </summary>
    public string Create(string subject, string? customerId, IReadOnlyCollection<string> roles, TimeSpan lifetime, DateTimeOffset? issuedAt = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentNullException.ThrowIfNull(roles);
        var now = (issuedAt ?? DateTimeOffset.UtcNow).UtcDateTime;
        var claims = new Dictionary<string, object> { [JwtRegisteredClaimNames.Sub] = subject };
        if (customerId is not null)
        {
            claims[_settings.CustomerClaim] = customerId;
        }

        if (roles.Count > 0)
        {
            claims[_settings.RoleClaim] = roles.ToArray();
        }

        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _settings.Issuer,
            Audience = _settings.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Claims = claims,
            SigningCredentials = _credentials,
        });
    }
}
