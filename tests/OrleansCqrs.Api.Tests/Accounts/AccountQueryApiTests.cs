using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Accounts.Summary;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.EventStore.InMemory;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Api.Tests.Accounts;

/// <summary>Reading accounts over HTTP, including reading one's own writes.</summary>
public sealed class AccountQueryApiTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private HttpClient Client => fixture.Client;

    private async Task<(string Id, long Version)> OpenAndDepositAsync(decimal amount)
    {
        var created = await (await Client.PostAsync("/api/accounts", """{"customerId":"cust-3","currency":"SEK"}""")).OkAsync(HttpStatusCode.Created);
        var id = created.GetProperty("accountId").GetString()!;
        var deposited = await (await Client.PostAsync($"/api/accounts/{id}/deposit", $$"""{"amount":{{amount}}}""")).OkAsync();
        return (id, deposited.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Reading_with_the_version_a_command_returned_shows_that_command()
    {
        var (id, version) = await OpenAndDepositAsync(12.34m);

        var response = await Client.GetAsync($"/api/accounts/{id}?minVersion={version}");
        var summary = await response.OkAsync();

        Assert.False(response.Headers.Contains("X-Read-Stale"));
        Assert.Equal(id, summary.GetProperty("accountId").GetString());
        Assert.Equal(12.34m, summary.GetProperty("balance").GetDecimal());
        Assert.Equal("SEK", summary.GetProperty("currency").GetString());
        Assert.Equal("Open", summary.GetProperty("status").GetString());
        Assert.Equal(version, summary.GetProperty("version").GetInt64());
        Assert.True(summary.GetProperty("lastActivityAt").GetDateTimeOffset() >= summary.GetProperty("openedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_version_not_reached_within_the_wait_is_answered_with_what_there_is_marked_stale()
    {
        var (id, version) = await OpenAndDepositAsync(1m);

        var response = await Client.GetAsync($"/api/accounts/{id}?minVersion={version + 5}&waitMs=150");
        var summary = await response.OkAsync();

        Assert.Equal(["true"], response.Headers.GetValues("X-Read-Stale"));
        Assert.Equal(version, summary.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task A_plain_read_of_a_summary_that_knows_it_is_behind_is_marked_stale()
    {
        var (id, version) = await OpenAndDepositAsync(2m);
        await (await Client.GetAsync($"/api/accounts/{id}?minVersion={version}")).OkAsync();
        var stream = StreamNames.StoreStreamId(AccountGrain.StreamName, id);
        var metadata = new EventMetadata(Guid.NewGuid(), DateTimeOffset.UtcNow);
        var serializer = fixture.Host.Services.GetRequiredService<EventSerializer>();
        await fixture.Host.EventStore.AppendAsync(new AppendRequest(stream, version, [serializer.Serialize(new MoneyDeposited(8m), metadata)], metadata.CommandId));

        // Told of the new version (as the healer or a later stream event would) while the store cannot be read.
        var database = (InMemoryEventStore)fixture.Host.EventStore;
        HttpResponseMessage response;
        database.SimulateOutage = true;
        try
        {
            var status = await fixture.Host.Grains.GetGrain<IAccountSummaryProjection>(id).CatchUp(version + 1);
            Assert.Equal((version, version + 1), (status.Version, status.KnownVersion));
            response = await Client.GetAsync($"/api/accounts/{id}");
        }
        finally
        {
            database.SimulateOutage = false;
        }

        var summary = await response.OkAsync();
        Assert.Equal(["true"], response.Headers.GetValues("X-Read-Stale"));
        Assert.Equal(version, summary.GetProperty("version").GetInt64());
        // Once the store answers, the summary catches up on its own and the flag goes.
        await Eventually.ReturnsAsync(() => Client.GetAsync($"/api/accounts/{id}"), r => !r.Headers.Contains("X-Read-Stale"), TimeSpan.FromSeconds(8), "the summary to catch up");
    }

    [Fact]
    public async Task An_unknown_account_is_a_404_problem()
    {
        await (await Client.GetAsync($"/api/accounts/acc-{Guid.NewGuid():N}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("?minVersion=-1", "minVersion")]
    [InlineData("?waitMs=10001", "waitMs")]
    [InlineData("?waitMs=-5", "waitMs")]
    [InlineData("?minVersion=abc", "minVersion")]
    [InlineData("?waitMs=1.5", "waitMs")]
    [InlineData("?waitMs=1&waitMs=2", "waitMs")]
    public async Task Out_of_range_parameters_are_a_400_naming_them(string query, string field)
    {
        var problem = await (await Client.GetAsync($"/api/accounts/acc-1{query}")).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal("invalid-request", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_parameter_that_is_not_a_number_is_a_400()
    {
        await (await Client.GetAsync("/api/accounts/acc-1?minVersion=abc")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_statement_lists_entries_newest_first_with_the_balance_after_each()
    {
        var (id, _) = await OpenAndDepositAsync(10m);
        var withdrawn = await (await Client.PostAsync($"/api/accounts/{id}/withdraw", """{"amount":4}""")).OkAsync();
        await (await Client.GetAsync($"/api/accounts/{id}?minVersion={withdrawn.GetProperty("version").GetInt64()}")).OkAsync();

        var statement = await (await Client.GetAsync($"/api/accounts/{id}/statement?limit=2")).OkAsync();

        var entries = statement.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["withdrawal", "deposit"], entries.Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal([6m, 10m], entries.Select(e => e.GetProperty("balanceAfter").GetDecimal()));
        Assert.Equal(2, statement.GetProperty("nextBeforeVersion").GetInt64());
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=501", "limit")]
    [InlineData("?beforeVersion=0", "beforeVersion")]
    public async Task Out_of_range_statement_parameters_are_a_400_naming_them(string query, string field)
    {
        var problem = await (await Client.GetAsync($"/api/accounts/acc-1/statement{query}")).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task The_statement_of_an_unknown_account_is_a_404_problem()
    {
        await (await Client.GetAsync($"/api/accounts/acc-{Guid.NewGuid():N}/statement")).ProblemAsync(HttpStatusCode.NotFound);
    }
}
