using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.Tokens;

namespace OrleansCqrs.Framework.AspNetCore.Security;

/// <summary>
/// Validates a bearer token once and remembers the outcome until the token expires: a client sends the same token
/// with every request for its lifetime, and checking its signature and parsing its claims each time was a large part
/// of what authentication cost a command. Only valid tokens are remembered, never past their <c>exp</c> (nor longer
/// than <see cref="MaxAge"/>), and at most <see cref="Capacity"/> of them; each request gets its own copy of the claims.
/// </summary>
public sealed class ValidatedTokenCache(TokenHandler inner, TimeProvider time) : TokenHandler, IDisposable
{
    public const int Capacity = 10_000;
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private readonly MemoryCache _valid = new(new MemoryCacheOptions { SizeLimit = Capacity });

    public override SecurityToken ReadToken(string token) => inner.ReadToken(token);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = time.GetUtcNow();
        if (_valid.TryGetValue(token, out Remembered? remembered) && remembered!.Expires > now)
        {
            return new TokenValidationResult
            {
                IsValid = true,
                SecurityToken = remembered.Result.SecurityToken,
                ClaimsIdentity = remembered.Result.ClaimsIdentity.Clone(),
                Issuer = remembered.Result.Issuer,
                TokenType = remembered.Result.TokenType,
            };
        }

        var result = await inner.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken?.ValidTo is { } validTo && validTo != DateTime.MinValue)
        {
            var expires = new DateTimeOffset(DateTime.SpecifyKind(validTo, DateTimeKind.Utc));
            var until = expires < now + MaxAge ? expires : now + MaxAge;
            if (until > now)
            {
                _valid.Set(token, new Remembered(result, until), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpiration = until });
            }
        }

        return result;
    }

    public void Dispose() => _valid.Dispose();

    private sealed record Remembered(TokenValidationResult Result, DateTimeOffset Expires);
}
