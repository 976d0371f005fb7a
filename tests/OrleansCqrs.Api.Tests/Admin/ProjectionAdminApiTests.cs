using System.Net;
using OrleansCqrs.Api.Tests.Accounts;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Api.Tests.Admin;

public sealed class ProjectionAdminApiTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Rebuilding_the_ledger_reports_progress_and_ends_on_a_new_generation()
    {
        await (await Client.PostAsync("/api/accounts", """{"customerId":"cust-admin","currency":"EUR"}""")).OkAsync(HttpStatusCode.Created);

        var response = await Client.PostAsync("/api/admin/projections/ledger/rebuild", null);
        var started = await response.OkAsync(HttpStatusCode.Accepted);
        var done = await Eventually.ReturnsAsync(
            async () => await (await Client.GetAsync("/api/admin/projections/ledger/rebuild")).OkAsync(),
            p => !p.GetProperty("inProgress").GetBoolean(),
            TimeSpan.FromSeconds(20),
            "the rebuild to finish");

        Assert.Equal("/api/admin/projections/ledger/rebuild", response.Headers.Location?.OriginalString);
        Assert.Equal(started.GetProperty("activeGeneration").GetInt32() + 1, done.GetProperty("activeGeneration").GetInt32());
        Assert.Equal(1.0, done.GetProperty("fraction").GetDouble());
    }

    [Fact]
    public async Task Rebuilding_every_account_summary_reports_progress_until_done()
    {
        var created = await (await Client.PostAsync("/api/accounts", """{"customerId":"cust-admin","currency":"EUR"}""")).OkAsync(HttpStatusCode.Created);
        var id = created.GetProperty("accountId").GetString()!;

        await (await Client.PostAsync("/api/admin/projections/account-summary/rebuild", null)).OkAsync(HttpStatusCode.Accepted);
        var done = await Eventually.ReturnsAsync(
            async () => await (await Client.GetAsync("/api/admin/projections/account-summary/rebuild")).OkAsync(),
            p => !p.GetProperty("running").GetBoolean(),
            TimeSpan.FromSeconds(20),
            "the summary rebuild to finish");

        Assert.True(done.GetProperty("rebuilt").GetInt32() >= 1);
        Assert.Equal(0, done.GetProperty("failed").GetInt32());
        await (await Client.GetAsync($"/api/accounts/{id}")).OkAsync();
    }
}
