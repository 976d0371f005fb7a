using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;

namespace OrleansCqrs.Framework.AspNetCore.Security;

/// <summary>
/// Remembers who a valid bearer token stands for until it expires, keyed by the whole <c>Authorization</c> header that
/// carried it: a client sends the same header with every request for the token's lifetime, and checking the signature
/// and parsing the claims each time was a large part of what authentication cost a command. A request whose header was
/// seen with a valid token is authenticated at JwtBearer's first step (<see cref="RecognizeAsync"/>), before the
/// handler cuts the token out of the header and copies its validation parameters; any other request is validated in
/// full, and a valid token is remembered (<see cref="RememberAsync"/>). Only a token validated from the header is
/// remembered (never one taken from a cookie), never past its <c>exp</c> nor longer than <see cref="MaxAge"/>, and at
/// most <see cref="Capacity"/> of them; each request gets its own copy of the claims.
/// </summary>
public sealed class ValidatedTokenCache(TimeProvider time) : IDisposable
{
    public const int Capacity = 10_000;
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private const string Scheme = "Bearer ";

    private readonly MemoryCache _valid = new(new MemoryCacheOptions { SizeLimit = Capacity });

    /// <summary>The handler's events that use this cache.</summary>
    public JwtBearerEvents Events() => new() { OnMessageReceived = RecognizeAsync, OnTokenValidated = RememberAsync };

    /// <summary>JwtBearer's <c>MessageReceived</c>: a header seen earlier with a token still valid authenticates the request.</summary>
    public Task RecognizeAsync(MessageReceivedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var header = context.Request.Headers.Authorization;
        if (context.Token is null
            && header.Count == 1
            && _valid.TryGetValue(header[0]!, out Remembered? remembered)
            && remembered!.Until > time.GetUtcNow())
        {
            context.Principal = new ClaimsPrincipal(remembered.Identity.Clone());
            context.Success();
        }

        return Task.CompletedTask;
    }

    /// <summary>JwtBearer's <c>TokenValidated</c>: remembers the caller under the header that carried the token.</summary>
    public Task RememberAsync(TokenValidatedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var header = context.Request.Headers.Authorization;
        if (header.Count == 1
            && header[0] is { } value
            && context.SecurityToken is JsonWebToken token
            && Carries(value, token.EncodedToken)
            && context.Principal?.Identity is ClaimsIdentity identity
            && token.ValidTo != DateTime.MinValue)
        {
            var now = time.GetUtcNow();
            var expires = new DateTimeOffset(DateTime.SpecifyKind(token.ValidTo, DateTimeKind.Utc));
            var until = expires < now + MaxAge ? expires : now + MaxAge;
            if (until > now)
            {
                // A copy: the identity given to this request is its own to change.
                _valid.Set(value, new Remembered(identity.Clone(), until), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpiration = until });
            }
        }

        return Task.CompletedTask;
    }

    public void Dispose() => _valid.Dispose();

    /// <summary>Whether the header is <c>Bearer</c> and exactly this token (the handler also accepts a token from elsewhere).</summary>
    private static bool Carries(string header, string token) =>
        header.Length == Scheme.Length + token.Length
        && header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
        && header.EndsWith(token, StringComparison.Ordinal);

    private sealed record Remembered(ClaimsIdentity Identity, DateTimeOffset Until);
}
