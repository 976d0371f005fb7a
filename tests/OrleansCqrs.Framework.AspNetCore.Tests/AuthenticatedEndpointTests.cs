using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.AspNetCore.Security;
using OrleansCqrs.Framework.AspNetCore.Tests.Wallet;

namespace OrleansCqrs.Framework.AspNetCore.Tests;

/// <summary>
/// A domain that turns the framework's authentication on: nothing anonymous reaches a grain, the caller travels with
/// its commands as their actor, its keys are its own, and a read the domain says it may not see is a 404.
/// </summary>
public sealed class AuthenticatedEndpointTests : IAsyncLifetime
{
    private readonly string _keyFile = Path.Combine(Directory.CreateTempSubdirectory("orleanscqrs-wallet-key-").FullName, "key");
    private WalletApi _api = null!;
    private TokenIssuer _tokens = null!;

    public async ValueTask InitializeAsync()
    {
        _tokens = new TokenIssuer(SigningKeyFile.Create(_keyFile), new AuthSettings());
        _api = await WalletApi.StartAsync(_keyFile);
    }

    public async ValueTask DisposeAsync()
    {
        await _api.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(_keyFile)!, recursive: true);
    }

    [Fact]
    public async Task An_anonymous_command_is_a_401_problem_with_a_bearer_challenge_and_reaches_no_grain()
    {
        var response = await SendAsync(HttpMethod.Post, "/wallets/w1/earn", """{"points":1,"reason":"coffee"}""", null, null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(AuthProblems.Unauthenticated, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        Assert.Empty(_api.Wallet.Attempts);
    }

    [Fact]
    public async Task The_caller_travels_with_its_command_as_its_actor_and_its_key_is_its_own()
    {
        var alice = _tokens.Create("alice", "alice", ["clerk", "auditor"], TimeSpan.FromMinutes(5));
        var bob = _tokens.Create("bob", "bob", [], TimeSpan.FromMinutes(5));

        await SendAsync(HttpMethod.Post, "/wallets/w1/earn", """{"points":1,"reason":"coffee"}""", alice, "k1");
        await SendAsync(HttpMethod.Post, "/wallets/w1/earn", """{"points":1,"reason":"coffee"}""", bob, "k1");

        var calls = _api.Wallet.Commands.ToArray();
        Assert.Equal(new Actor("alice", "alice", ["auditor", "clerk"]), calls[0].Context.Actor, ActorComparer.Instance);
        Assert.Equal("bob", calls[1].Context.Actor!.Subject);
        Assert.NotEqual(calls[0].Context.CommandId, calls[1].Context.CommandId);
        Assert.Equal(IdempotencyKey.CommandId("k1", "w1", calls[0].Context.Actor), calls[0].Context.CommandId);
    }

    [Fact]
    public async Task A_read_the_caller_may_not_see_is_the_404_of_a_missing_one()
    {
        var alice = _tokens.Create("alice", "alice", [], TimeSpan.FromMinutes(5));

        var own = await SendAsync(HttpMethod.Get, "/wallets/alice", null, alice, null);
        var others = await SendAsync(HttpMethod.Get, "/wallets/bob", null, alice, null);
        var missing = await SendAsync(HttpMethod.Get, "/wallets/nobody", null, alice, null);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, others.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(Code(await missing.Content.ReadAsStringAsync()), Code(await others.Content.ReadAsStringAsync()));
    }

    [Fact]
    public void The_bearer_token_is_not_kept_in_each_requests_ticket()
    {
        // Nothing reads it back (GetTokenAsync); keeping it cost every request a dictionary and two strings.
        var bearer = _api.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);

        Assert.False(bearer.SaveToken);
    }

    [Fact]
    public async Task A_token_is_validated_once_and_later_requests_with_it_are_known_by_their_header()
    {
        var bearer = _api.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);
        var validations = 0;
        var remember = bearer.Events.OnTokenValidated;
        bearer.Events.OnTokenValidated = context =>
        {
            Interlocked.Increment(ref validations);
            return remember(context);
        };
        var alice = _tokens.Create("alice", "alice", [], TimeSpan.FromMinutes(5));
        var forged = new TokenIssuer(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), new AuthSettings()).Create("alice", "alice", [], TimeSpan.FromMinutes(5));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await SendAsync(HttpMethod.Get, "/wallets/alice", null, alice, null)).StatusCode);
        }

        var refused = await SendAsync(HttpMethod.Get, "/wallets/alice", null, forged, null);

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(1, validations);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(AuthProblems.InvalidToken, Code(await refused.Content.ReadAsStringAsync()));
    }

    private static string? Code(string problem) => JsonDocument.Parse(problem).RootElement.GetProperty("code").GetString();

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body, string? token, string? idempotencyKey)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation(IdempotencyKey.Header, idempotencyKey);
        }

        return await _api.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Actors compared by value, their roles as a sequence (an ImmutableArray compares by reference).</summary>
    private sealed class ActorComparer : IEqualityComparer<Actor?>
    {
        public static readonly ActorComparer Instance = new();

        public bool Equals(Actor? x, Actor? y) =>
            x?.Subject == y?.Subject && x?.Party == y?.Party && (x?.Roles ?? []).SequenceEqual(y?.Roles ?? []);

        public int GetHashCode(Actor? obj) => obj?.Subject.GetHashCode(StringComparison.Ordinal) ?? 0;
    }
}
