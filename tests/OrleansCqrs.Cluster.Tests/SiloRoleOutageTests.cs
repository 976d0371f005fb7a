using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Cluster.Tests;

/// <summary>
/// Real processes on the split layout (silo 1 writes, silos 2 and 3 read): each side serves while the other's silos
/// are all crashed, and the front end answers what needs the missing side with a prompt 503 role-unavailable.
/// </summary>
public sealed class SiloRoleOutageTests(PostgresServerFixture postgres, ITestOutputHelper output)
{
    private const string Account = "acct-roles";

    /// <summary>
    /// Two of three silos killed at once: the survivor alone may vote them dead only once their heartbeats in the table
    /// are stale (3 × 10 s), then after its next missed probes; CI's load beside the test has stretched that past 60 s.
    /// </summary>
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Well under the front end's failover budget (20 s) and a grain call's response timeout.</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Commands_go_on_without_read_silos_reads_go_on_without_the_write_silo_and_the_missing_side_is_a_prompt_503()
    {
        var database = await postgres.Server.CreateDatabaseAsync("split-outage");
        await using var cluster = await LocalCluster.StartAsync(database, silos: 3, frontEnds: 1, roles: SiloFailureTests.SplitLayout);
        try
        {
            using var client = cluster.FrontEnds[0].CreateClient(TestTokens.Shared.Operator());
            using (var opened = await client.PostAsJsonAsync("/api/accounts", new { accountId = Account, customerId = "cust-roles", currency = "EUR" }))
            {
                Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
            }

            await DepositAsync(client, 10m);
            await BalanceAsync(client, 10m);
            await SilosAsync(client, ["write active", "read active", "read active"], "every silo active with the role it published");

            await cluster.KillSiloAsync(2);
            await cluster.KillSiloAsync(3);
            await DepositAsync(client, 5m);
            await RefusedPromptlyAsync(() => client.GetAsync($"/api/accounts/{Account}"), "a read with every read silo down");
            // The operator still sees the cluster, and is told what cannot be measured without a read silo.
            var status = await SilosAsync(client, ["write active", "read dead", "read dead"], "both read silos dead");
            Assert.Contains(status.GetProperty("problems").EnumerateArray(), p => p.GetString()!.StartsWith("healer:", StringComparison.Ordinal));

            await cluster.RestartSiloAsync(2);
            await BalanceAsync(client, 15m);

            await cluster.KillSiloAsync(1);
            await BalanceAsync(client, 15m);
            await RefusedPromptlyAsync(() => client.PostAsJsonAsync($"/api/accounts/{Account}/deposit", new { amount = 1m }), "a deposit with the write silo down");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            output.WriteLine(cluster.Output);
            throw;
        }
    }

    /// <summary>Deposits with one Idempotency-Key until acknowledged: a retry during failover is safe.</summary>
    private static async Task DepositAsync(HttpClient client, decimal amount)
    {
        var key = Guid.NewGuid().ToString("N");
        await Eventually.ReturnsAsync(
            async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/accounts/{Account}/deposit") { Content = JsonContent.Create(new { amount }) };
                request.Headers.Add("Idempotency-Key", key);
                using var response = await client.SendAsync(request);
                return response.StatusCode;
            },
            status => status == HttpStatusCode.OK,
            StepTimeout,
            $"a deposit of {amount} acknowledged");
    }

    /// <summary>The operator's status once its silos are (sorted) "role status" as given.</summary>
    private static async Task<JsonElement> SilosAsync(HttpClient client, string[] expected, string what) =>
        await Eventually.ReturnsAsync(
            async () =>
            {
                using var response = await client.GetAsync("/api/admin/status");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return await response.Content.ReadFromJsonAsync<JsonElement>();
            },
            status => status.GetProperty("silos").EnumerateArray()
                .Select(s => $"{s.GetProperty("role").GetString()} {s.GetProperty("status").GetString()}")
                .Order(StringComparer.Ordinal)
                .SequenceEqual(expected.Order(StringComparer.Ordinal)),
            StepTimeout,
            $"the operator's status to show {what}");

    private static async Task BalanceAsync(HttpClient client, decimal expected) =>
        await Eventually.ReturnsAsync(
            async () =>
            {
                using var response = await client.GetAsync($"/api/accounts/{Account}");
                return response.StatusCode == HttpStatusCode.OK
                    ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("balance").GetDecimal()
                    : (decimal?)null;
            },
            balance => balance == expected,
            StepTimeout,
            $"the account's summary to show {expected}");

    /// <summary>
    /// Once the cluster has declared the crashed silos dead, the request is refused with 503 role-unavailable, and a
    /// request made then is refused at once, not after the failover budget.
    /// </summary>
    private static async Task RefusedPromptlyAsync(Func<Task<HttpResponseMessage>> send, string what)
    {
        await Eventually.ReturnsAsync(() => CodeAsync(send), code => code == "role-unavailable", StepTimeout, $"{what} refused with role-unavailable");

        var started = Stopwatch.GetTimestamp();
        Assert.Equal("role-unavailable", await CodeAsync(send));
        Assert.True(Stopwatch.GetElapsedTime(started) < Prompt, $"{what} took {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s to be refused.");
    }

    private static async Task<string?> CodeAsync(Func<Task<HttpResponseMessage>> send)
    {
        using var response = await send();
        if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
        {
            return $"{(int)response.StatusCode}";
        }

        Assert.True(response.Headers.RetryAfter is not null, "A 503 without Retry-After.");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();
    }
}
