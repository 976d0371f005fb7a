using System.Diagnostics;
using System.Net;

namespace OrleansCqrs.Api.Tests.Accounts;

/// <summary>
/// The reported attack, over HTTP on the embedded host (one silo, so every read shares its few query workers): reads
/// waiting for versions and positions nobody will write must not hold up plain reads.
/// </summary>
public sealed class ReaderStarvationApiTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Plain_reads_answer_promptly_while_reads_wait_for_unreachable_versions_and_positions()
    {
        var created = await (await Client.PostAsync("/api/accounts", """{"customerId":"cust-starve","currency":"EUR"}""")).OkAsync(HttpStatusCode.Created);
        var id = created.GetProperty("accountId").GetString()!;
        await (await Client.GetAsync($"/api/accounts/{id}?minVersion=1")).OkAsync();

        var waiting = Enumerable.Range(0, 8)
            .Select(i => Client.GetAsync(i % 2 == 0
                ? $"/api/accounts/{id}?minVersion=9223372036854775807&waitMs=5000"
                : "/api/bank/totals?minPosition=9223372036854775807&waitMs=5000"))
            .ToArray();
        await Task.Delay(TimeSpan.FromMilliseconds(300)); // let the waits reach the query workers first

        var clock = Stopwatch.StartNew();
        await (await Client.GetAsync($"/api/accounts/{id}")).OkAsync();
        await (await Client.GetAsync("/api/bank/totals")).OkAsync();
        var elapsed = clock.Elapsed;

        Assert.True(elapsed < TimeSpan.FromSeconds(2), $"Two plain reads took {elapsed.TotalMilliseconds:0} ms behind 8 waiting reads.");
        foreach (var response in await Task.WhenAll(waiting))
        {
            await response.OkAsync();
            Assert.Equal(["true"], response.Headers.GetValues("X-Read-Stale"));
        }
    }
}
