using System.Net;
using System.Net.Http.Headers;
using OrleansCqrs.Api.Tests.Accounts;
using OrleansCqrs.Framework.AspNetCore.Security;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Api.Tests.Security;

/// <summary>Without a valid bearer token nothing but health, the API description and the development issuer answers.</summary>
public sealed class AuthenticationApiTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private static readonly string[] Protected =
    [
        "GET /api/accounts/acc-1",
        "GET /api/accounts/acc-1/statement",
        "POST /api/accounts",
        "POST /api/accounts/acc-1/deposit",
        "GET /api/customers/cust-1/portfolio",
        "GET /api/bank/totals",
        "GET /api/bank/top-accounts",
        "GET /api/live",
        "POST /api/admin/projections/ledger/rebuild",
        "GET /api/admin/status",
        "POST /api/admin/dashboard-session",
    ];

    private async Task<HttpResponseMessage> SendAsync(string route, string? token)
    {
        using var client = token is null ? fixture.Host.CreateClient() : fixture.Host.CreateClient(token);
        var (method, path) = (route.Split(' ')[0], route.Split(' ')[1]);
        return method == "GET" ? await client.GetAsync(path) : await client.PostAsync(path, """{"customerId":"cust-1","currency":"EUR","amount":1}""");
    }

    private static async Task<string> UnauthorizedAsync(HttpResponseMessage response)
    {
        var problem = await response.ProblemAsync(HttpStatusCode.Unauthorized);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        return problem.GetProperty("code").GetString()!;
    }

    [Fact]
    public async Task An_anonymous_request_is_401_with_a_bearer_challenge_and_a_problem_on_every_endpoint()
    {
        foreach (var route in Protected)
        {
            Assert.Equal(AuthProblems.Unauthenticated, await UnauthorizedAsync(await SendAsync(route, null)));
        }
    }

    [Fact]
    public async Task An_unknown_route_or_method_is_a_404_or_405_problem_to_a_caller_with_a_token_and_a_401_to_a_stranger()
    {
        using var customer = fixture.Host.CustomerClient("cust-1");
        using var stranger = fixture.Host.CreateClient();

        var unknown = await (await customer.GetAsync("/api/nothing-here")).ProblemAsync(HttpStatusCode.NotFound);
        var wrongMethod = await customer.DeleteAsync("/api/accounts/acc-1");
        var notAllowed = await wrongMethod.ProblemAsync(HttpStatusCode.MethodNotAllowed);

        Assert.Equal("route-not-found", unknown.GetProperty("code").GetString());
        Assert.Equal("method-not-allowed", notAllowed.GetProperty("code").GetString());
        Assert.Contains("GET", wrongMethod.Content.Headers.Allow);
        // Which routes exist is not told to a stranger.
        Assert.Equal(AuthProblems.Unauthenticated, await UnauthorizedAsync(await stranger.GetAsync("/api/nothing-here")));
        Assert.Equal(AuthProblems.Unauthenticated, await UnauthorizedAsync(await stranger.DeleteAsync("/api/accounts/acc-1")));
    }

    [Fact]
    public async Task An_expired_token_is_401_and_the_challenge_says_the_token_is_invalid()
    {
        var expired = TestTokens.Shared.Create("cust-1", "cust-1", [], TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow.AddHours(-1));

        var response = await SendAsync("GET /api/customers/cust-1/portfolio", expired);

        Assert.Equal(AuthProblems.TokenExpired, await UnauthorizedAsync(response));
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_401()
    {
        var otherKey = Path.Combine(Directory.CreateTempSubdirectory("orleanscqrs-other-key-").FullName, "key");
        var forged = new TokenIssuer(SigningKeyFile.Create(otherKey), new AuthSettings()).Create("operator", null, ["operator"], TimeSpan.FromHours(1));

        foreach (var route in Protected)
        {
            Assert.Equal(AuthProblems.InvalidToken, await UnauthorizedAsync(await SendAsync(route, forged)));
        }
    }

    [Fact]
    public async Task A_token_for_another_audience_or_issuer_is_401()
    {
        var key = SigningKeyFile.Read(TestTokens.Shared.KeyFile);
        var otherAudience = new TokenIssuer(key, new AuthSettings { Audience = "another-api" }).Create("operator", null, ["operator"], TimeSpan.FromHours(1));
        var otherIssuer = new TokenIssuer(key, new AuthSettings { Issuer = "someone-else" }).Create("operator", null, ["operator"], TimeSpan.FromHours(1));

        Assert.Equal(AuthProblems.InvalidToken, await UnauthorizedAsync(await SendAsync("GET /api/bank/totals", otherAudience)));
        Assert.Equal(AuthProblems.InvalidToken, await UnauthorizedAsync(await SendAsync("GET /api/bank/totals", otherIssuer)));
    }

    [Fact]
    public async Task A_malformed_authorization_header_is_401_not_500()
    {
        using var client = fixture.Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/bank/totals");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not.a.jwt");

        Assert.Equal(AuthProblems.InvalidToken, await UnauthorizedAsync(await client.SendAsync(request)));
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/openapi/v1.json")]
    public async Task Health_and_the_api_description_need_no_token(string path)
    {
        using var client = fixture.Host.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path)).StatusCode);
    }
}
