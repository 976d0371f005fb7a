using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OrleansCqrs.Framework.AspNetCore.Security;

namespace OrleansCqrs.Framework.AspNetCore.Tests.Security;

/// <summary>The cache as JwtBearer drives it: a full validation raises TokenValidated, every request MessageReceived.</summary>
public sealed class ValidatedTokenCacheTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly AuthSettings Settings = new();
    private static readonly JwtBearerOptions Options = new();
    private static readonly AuthenticationScheme Bearer = new(JwtBearerDefaults.AuthenticationScheme, null, typeof(JwtBearerHandler));

    private static readonly TokenValidationParameters Parameters = new()
    {
        ValidIssuer = Settings.Issuer,
        ValidAudience = Settings.Audience,
        IssuerSigningKey = new SymmetricSecurityKey(Key),
        NameClaimType = JwtRegisteredClaimNames.Sub,
    };

    private readonly Clock _clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_header_seen_with_a_valid_token_authenticates_later_requests_each_with_its_own_claims()
    {
        using var cache = new ValidatedTokenCache(_clock);
        var token = Token("alice", TimeSpan.FromHours(1));
        var validated = await ValidatedAsync($"Bearer {token}", token);
        await cache.RememberAsync(validated);

        var first = await RecognizedAsync(cache, $"Bearer {token}");
        var second = await RecognizedAsync(cache, $"Bearer {token}");

        Assert.True(first.Result?.Succeeded);
        Assert.True(second.Result?.Succeeded);
        Assert.Equal("alice", second.Principal?.Identity?.Name);
        Assert.True(second.Principal?.Identity?.IsAuthenticated);
        Assert.NotSame(first.Principal!.Identity, second.Principal!.Identity);
        Assert.NotSame(validated.Principal!.Identity, first.Principal.Identity);
    }

    [Fact]
    public async Task A_remembered_header_is_validated_in_full_again_once_its_token_expires()
    {
        using var cache = new ValidatedTokenCache(_clock);
        var token = Token("alice", TimeSpan.FromMinutes(1));
        await cache.RememberAsync(await ValidatedAsync($"Bearer {token}", token));

        _clock.Now += TimeSpan.FromMinutes(2);
        var late = await RecognizedAsync(cache, $"Bearer {token}");

        Assert.Null(late.Result);
        Assert.Null(late.Principal);
    }

    [Fact]
    public async Task A_long_lived_token_is_remembered_for_at_most_the_cache_age()
    {
        using var cache = new ValidatedTokenCache(_clock);
        var token = Token("alice", TimeSpan.FromHours(1));
        await cache.RememberAsync(await ValidatedAsync($"Bearer {token}", token));

        _clock.Now += ValidatedTokenCache.MaxAge - TimeSpan.FromSeconds(1);
        Assert.NotNull((await RecognizedAsync(cache, $"Bearer {token}")).Result);
        _clock.Now += TimeSpan.FromSeconds(2);
        Assert.Null((await RecognizedAsync(cache, $"Bearer {token}")).Result);
    }

    [Fact]
    public async Task A_token_that_did_not_come_from_the_header_is_never_remembered_under_it()
    {
        using var cache = new ValidatedTokenCache(_clock);
        var alice = Token("alice", TimeSpan.FromHours(1));
        var mallory = Token("mallory", TimeSpan.FromHours(1));

        // A token taken from a cookie while the header says something else, and one with no header at all.
        await cache.RememberAsync(await ValidatedAsync($"Bearer {mallory}", alice));
        await cache.RememberAsync(await ValidatedAsync(null, alice));

        Assert.Null((await RecognizedAsync(cache, $"Bearer {mallory}")).Result);
        Assert.Null((await RecognizedAsync(cache, $"Bearer {alice}")).Result);
    }

    [Fact]
    public async Task A_header_never_seen_goes_on_to_full_validation()
    {
        using var cache = new ValidatedTokenCache(_clock);
        var token = Token("alice", TimeSpan.FromHours(1));
        await cache.RememberAsync(await ValidatedAsync($"Bearer {token}", token));

        Assert.Null((await RecognizedAsync(cache, $"Bearer {Token("alice", TimeSpan.FromHours(1))}x")).Result);
        Assert.Null((await RecognizedAsync(cache, null)).Result);
    }

    private static string Token(string subject, TimeSpan lifetime) =>
        new TokenIssuer(Key, Settings).Create(subject, subject, [], lifetime);

    private static async Task<TokenValidatedContext> ValidatedAsync(string? header, string token)
    {
        var result = await new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(token, Parameters);
        Assert.True(result.IsValid, result.Exception?.Message);
        return new TokenValidatedContext(Request(header), Bearer, Options)
        {
            Principal = new ClaimsPrincipal(result.ClaimsIdentity),
            SecurityToken = result.SecurityToken,
        };
    }

    private static async Task<MessageReceivedContext> RecognizedAsync(ValidatedTokenCache cache, string? header)
    {
        var context = new MessageReceivedContext(Request(header), Bearer, Options);
        await cache.RecognizeAsync(context);
        return context;
    }

    private static DefaultHttpContext Request(string? authorization)
    {
        var http = new DefaultHttpContext();
        if (authorization is not null)
        {
            http.Request.Headers.Authorization = authorization;
        }

        return http;
    }

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
