using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OrleansCqrs.Framework.AspNetCore.Security;

namespace OrleansCqrs.Framework.AspNetCore.Tests.Security;

public sealed class ValidatedTokenCacheTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly AuthSettings Settings = new();

    private static readonly TokenValidationParameters Parameters = new()
    {
        ValidIssuer = Settings.Issuer,
        ValidAudience = Settings.Audience,
        IssuerSigningKey = new SymmetricSecurityKey(Key),
        ClockSkew = TimeSpan.Zero,
    };

    [Fact]
    public async Task A_valid_token_is_checked_once_and_each_request_gets_its_own_claims()
    {
        var inner = new CountingHandler();
        using var cache = new ValidatedTokenCache(inner, new Clock(DateTimeOffset.UtcNow));
        var token = new TokenIssuer(Key, Settings).Create("alice", "alice", [], TimeSpan.FromHours(1));

        var first = await cache.ValidateTokenAsync(token, Parameters);
        var second = await cache.ValidateTokenAsync(token, Parameters);

        Assert.True(first.IsValid && second.IsValid);
        Assert.Equal(1, inner.Validations);
        Assert.Equal("alice", second.ClaimsIdentity.FindFirst("sub")?.Value);
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
    }

    [Fact]
    public async Task A_remembered_token_is_checked_again_once_it_has_expired_and_then_refused()
    {
        var inner = new CountingHandler();
        var clock = new Clock(DateTimeOffset.UtcNow);
        using var cache = new ValidatedTokenCache(inner, clock);
        var token = new TokenIssuer(Key, Settings).Create("alice", "alice", [], TimeSpan.FromMinutes(1));
        // The handler judges expiry by the test's clock too.
        var parameters = Parameters.Clone();
        parameters.LifetimeValidator = (_, expires, _, _) => expires > clock.Now.UtcDateTime;
        Assert.True((await cache.ValidateTokenAsync(token, parameters)).IsValid);

        clock.Now += TimeSpan.FromMinutes(2);
        var late = await cache.ValidateTokenAsync(token, parameters);

        Assert.Equal(2, inner.Validations);
        Assert.False(late.IsValid);
    }

    [Fact]
    public async Task An_invalid_token_is_never_remembered()
    {
        var inner = new CountingHandler();
        using var cache = new ValidatedTokenCache(inner, new Clock(DateTimeOffset.UtcNow));
        var forged = new TokenIssuer(RandomNumberGenerator.GetBytes(32), Settings).Create("alice", "alice", [], TimeSpan.FromHours(1));

        Assert.False((await cache.ValidateTokenAsync(forged, Parameters)).IsValid);
        Assert.False((await cache.ValidateTokenAsync(forged, Parameters)).IsValid);
        Assert.Equal(2, inner.Validations);
    }

    /// <summary>The real handler, counting its validations.</summary>
    private sealed class CountingHandler : TokenHandler
    {
        private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

        public int Validations { get; private set; }

        public override SecurityToken ReadToken(string token) => _handler.ReadToken(token);

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Validations++;
            return _handler.ValidateTokenAsync(token, validationParameters);
        }
    }

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
