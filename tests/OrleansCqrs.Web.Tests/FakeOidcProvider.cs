using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Web.Tests;

/// <summary>
/// The least of an OpenID Connect provider that the page's sign-in needs: discovery, an authorization endpoint that
/// signs <see cref="CustomerId"/> in at once (no login form), and a token endpoint that checks the PKCE verifier
/// against the challenge before it hands out a token. The token is signed with the test run's key, which the front
/// end accepts besides its authority's.
/// </summary>
public sealed class FakeOidcProvider : IAsyncDisposable
{
    public const string ClientId = "bank-page";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (string Challenge, string RedirectUri)> _codes = new();

    private FakeOidcProvider(WebApplication app) => _app = app;

    public string CustomerId { get; } = $"oidc{Guid.NewGuid():N}"[..12];

    public Uri Address { get; private set; } = null!;

    /// <summary>Token requests refused because the verifier did not match the challenge.</summary>
    public int RefusedVerifiers { get; private set; }

    public static async Task<FakeOidcProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var provider = new FakeOidcProvider(app);
        app.Use(async (context, next) =>
        {
            // The page calls discovery and the token endpoint from its own origin.
            context.Response.Headers.AccessControlAllowOrigin = "*";
            await next();
        });
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, string>
        {
            ["issuer"] = provider.Issuer,
            ["authorization_endpoint"] = $"{provider.Issuer}/authorize",
            ["token_endpoint"] = $"{provider.Issuer}/token",
            ["jwks_uri"] = $"{provider.Issuer}/jwks",
        }));
        app.MapGet("/jwks", () => Results.Json(new { keys = Array.Empty<object>() }));
        app.MapGet("/authorize", provider.Authorize);
        app.MapPost("/token", provider.Token);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        provider.Address = new Uri(address);
        return provider;
    }

    private string Issuer => Address.ToString().TrimEnd('/');

    private IResult Authorize(HttpRequest request)
    {
        var query = request.Query;
        if (query["client_id"] != ClientId || query["response_type"] != "code" || query["code_challenge_method"] != "S256" || string.IsNullOrEmpty(query["code_challenge"]))
        {
            return Results.BadRequest("unexpected authorization request");
        }

        var code = Guid.NewGuid().ToString("N");
        var redirect = query["redirect_uri"].ToString();
        _codes[code] = (query["code_challenge"].ToString(), redirect);
        return Results.Redirect($"{redirect}?code={code}&state={Uri.EscapeDataString(query["state"].ToString())}");
    }

    private async Task<IResult> Token(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        if (form["grant_type"] != "authorization_code" || form["client_id"] != ClientId || !_codes.TryRemove(form["code"].ToString(), out var issued) || issued.RedirectUri != form["redirect_uri"])
        {
            return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
        }

        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString()));
        var expected = Convert.ToBase64String(hash).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        if (expected != issued.Challenge)
        {
            RefusedVerifiers++;
            return Results.Json(new { error = "invalid_grant", error_description = "PKCE verifier does not match" }, statusCode: 400);
        }

        return Results.Json(new { access_token = TestTokens.Shared.Customer(CustomerId), token_type = "Bearer", expires_in = 3600 });
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
