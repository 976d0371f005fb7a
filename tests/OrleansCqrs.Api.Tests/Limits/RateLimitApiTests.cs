using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace OrleansCqrs.Api.Tests.Limits;

/// <summary>Rate limits over HTTP: per principal, per address before authentication, and Kestrel's own limits.</summary>
public sealed class RateLimitApiTests(LimitsFixture fixture) : IClassFixture<LimitsFixture>
{
    [Fact]
    public async Task Past_its_command_bucket_a_principal_gets_429_with_Retry_After_and_a_problem_while_another_principal_is_served()
    {
        var (alice, aliceId) = fixture.NewCustomer("alice");
        var (bob, bobId) = fixture.NewCustomer("bob");
        using var aliceClient = alice;
        using var bobClient = bob;
        var account = await alice.OpenAccountAsync(aliceId);
        var version = 1L;
        for (var sent = 1; sent < LimitsFixture.Commands; sent++)
        {
            version = await alice.DepositAsync(account, 1);
        }

        using var refused = await alice.PostAsync($"/api/accounts/{account}/deposit", """{"amount":1}""");

        var problem = await refused.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("rate-limited", problem.GetProperty("code").GetString());
        Assert.Equal("Commands", problem.GetProperty("limit").GetString());
        Assert.InRange(refused.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(LimitsFixture.RefillSeconds));
        // Limited separately: bob's bucket is full.
        var bobs = await bob.OpenAccountAsync(bobId);
        await bob.DepositAsync(bobs, 5);
        // The refused deposit did nothing (reads have a bucket of their own).
        var summary = await (await alice.GetAsync($"/api/accounts/{account}?minVersion={version}")).OkAsync();
        Assert.Equal(LimitsFixture.Commands - 1m, summary.GetProperty("balance").GetDecimal());
    }

    [Fact]
    public async Task Past_its_creation_bucket_a_principal_cannot_open_another_account()
    {
        var (carol, carolId) = fixture.NewCustomer("carol");
        using var carolClient = carol;
        for (var opened = 0; opened < LimitsFixture.Creations; opened++)
        {
            await carol.OpenAccountAsync(carolId);
        }

        using var refused = await carol.PostAsync("/api/accounts", $$"""{"customerId":"{{carolId}}","currency":"EUR"}""");

        var problem = await refused.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("rate-limited", problem.GetProperty("code").GetString());
        Assert.Equal("Creations", problem.GetProperty("limit").GetString());
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Anonymous_requests_are_limited_per_address_and_authenticated_ones_from_that_address_are_not()
    {
        using var anonymous = fixture.Host.CreateClient();
        using var dora = fixture.NewCustomer("dora").Client;
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await anonymous.GetAsync("/health/live");
            answers.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var problem = await response.ProblemAsync(HttpStatusCode.TooManyRequests);
                Assert.Equal("Unauthenticated", problem.GetProperty("limit").GetString());
                Assert.NotNull(response.Headers.RetryAfter?.Delta);
            }
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], answers);
        using var authenticated = await dora.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, authenticated.StatusCode);
    }

    [Fact]
    public async Task Requests_refused_for_want_of_a_token_count_against_their_address_too()
    {
        await using var host = new ApiHost(
            ("OrleansCqrs:Limits:Unauthenticated:TokenLimit", "2"),
            ("OrleansCqrs:Limits:Unauthenticated:TokensPerPeriod", "1"),
            ("OrleansCqrs:Limits:Unauthenticated:PeriodSeconds", $"{LimitsFixture.RefillSeconds}"));
        using var anonymous = host.CreateClient();
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await anonymous.GetAsync("/api/bank/totals");
            answers.Add(response.StatusCode);
        }

        // A flood of calls without a valid token is shed like any other anonymous traffic.
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], answers);
    }

    [Fact]
    public async Task Kestrel_refuses_a_request_with_too_many_headers_and_names_no_server()
    {
        using var erin = fixture.NewCustomer("erin").Client;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        for (var i = 0; i < LimitsFixture.MaxHeaders; i++)
        {
            request.Headers.Add($"X-Extra-{i}", "x");
        }

        using var refused = await erin.SendAsync(request);
        using var served = await erin.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Empty(served.Headers.Server);
    }

    [Fact]
    public void The_silo_sheds_load_past_the_configured_cpu_threshold_and_deactivates_grains_under_memory_pressure()
    {
        var shedding = fixture.Host.Services.GetRequiredService<IOptions<LoadSheddingOptions>>().Value;
        var collection = fixture.Host.Services.GetRequiredService<IOptions<GrainCollectionOptions>>().Value;

        Assert.True(shedding.LoadSheddingEnabled);
        Assert.Equal(LimitsFixture.SiloCpuThreshold, shedding.CpuThreshold);
        Assert.True(collection.EnableActivationSheddingOnMemoryPressure);
    }
}
