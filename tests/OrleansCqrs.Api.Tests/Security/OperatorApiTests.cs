using System.Net;
using OrleansCqrs.Api.Tests.Accounts;
using OrleansCqrs.Api.Tests.Live;
using OrleansCqrs.Framework.AspNetCore.Security;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Api.Tests.Security;

/// <summary>Bank-wide data and operations are for operators: a customer gets 403, an operator gets the answer.</summary>
public sealed class OperatorApiTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    public static TheoryData<string> OperatorOnly =>
    [
        "GET /api/bank/totals",
        "GET /api/bank/top-accounts",
        "POST /api/admin/projections/ledger/rebuild",
        "GET /api/admin/projections/ledger/rebuild",
        "POST /api/admin/projections/account-summary/rebuild",
        "GET /api/admin/projections/account-summary/rebuild",
        "GET /api/admin/status",
        "POST /api/admin/dashboard-session",
    ];

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string route)
    {
        var (method, path) = (route.Split(' ')[0], route.Split(' ')[1]);
        return method == "GET" ? client.GetAsync(path) : client.PostAsync(path, null);
    }

    [Theory]
    [MemberData(nameof(OperatorOnly))]
    public async Task A_customer_on_an_operator_endpoint_gets_403(string route)
    {
        using var customer = fixture.Host.CustomerClient($"cust-{Guid.NewGuid():N}");

        var problem = await (await SendAsync(customer, route)).ProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal(AuthProblems.Forbidden, problem.GetProperty("code").GetString());
    }

    [Theory]
    [MemberData(nameof(OperatorOnly))]
    public async Task An_operator_is_answered_on_every_operator_endpoint(string route)
    {
        using var staff = fixture.Host.OperatorClient();

        var response = await SendAsync(staff, route);

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted or HttpStatusCode.NoContent, $"{route}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task A_caller_acting_for_no_customer_and_without_the_operator_role_gets_403_on_the_unfiltered_live_feed()
    {
        using var nobody = fixture.Host.CreateClient(TestTokens.Shared.Create("service-x", null, [], TimeSpan.FromHours(1)));

        var problem = await (await nobody.GetAsync("/api/live")).ProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal(AuthProblems.Forbidden, problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_operator_listens_to_every_account_unfiltered()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var staff = fixture.Host.OperatorClient();
        using var listener = await SseListener.OpenAsync(staff, "", deadline.Token);
        var customer = $"cust-{Guid.NewGuid():N}";
        using var client = fixture.Host.CustomerClient(customer);
        var account = await client.OpenAccountAsync(customer);

        var version = await client.DepositAsync(account, 4);

        var change = await listener.AccountAtAsync(account, version, deadline.Token);
        Assert.Equal(customer, change.GetProperty("customerId").GetString());
    }
}
