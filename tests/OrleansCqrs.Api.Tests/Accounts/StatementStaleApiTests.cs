using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OrleansCqrs.Bank.Accounts.Statement;

namespace OrleansCqrs.Api.Tests.Accounts;

/// <summary>
/// A statement page the projection marked stale (it could not catch up: Bank.Tests' AccountStatementTests) carries
/// <c>X-Read-Stale: true</c>, as every other read does.
/// </summary>
public sealed class StatementStaleApiTests
{
    [Fact]
    public async Task A_statement_page_marked_stale_is_answered_with_the_stale_header_and_a_current_one_without()
    {
        var staleness = new StatementStaleness();
        await using var host = new ApiHost(services => services.AddSingleton<IOutgoingGrainCallFilter>(staleness));
        using var client = host.OperatorClient();
        var opened = await (await client.PostAsync("/api/accounts", """{"customerId":"cust-stale","currency":"EUR"}""")).OkAsync(HttpStatusCode.Created);
        var statementPath = $"/api/accounts/{opened.GetProperty("accountId").GetString()}/statement";

        using var current = await client.GetAsync(statementPath);
        staleness.MarkStale = true;
        using var stale = await client.GetAsync(statementPath);

        await current.OkAsync();
        Assert.False(current.Headers.Contains("X-Read-Stale"));
        await stale.OkAsync();
        Assert.Equal(["true"], stale.Headers.GetValues("X-Read-Stale"));
    }

    /// <summary>Marks every statement page stale, as the projection does when its catch-up failed.</summary>
    private sealed class StatementStaleness : IOutgoingGrainCallFilter
    {
        public volatile bool MarkStale;

        public async Task Invoke(IOutgoingGrainCallContext context)
        {
            await context.Invoke();
            if (MarkStale && context.Result is StatementPage page)
            {
                context.Result = page with { Stale = true };
            }
        }
    }
}
