using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Benchmarks;

/// <summary>
/// Durable deposits over HTTP into the front end as users run it (src/OrleansCqrs.Api, embedded mode, as a process),
/// with authentication on (every request carries a customer's bearer token; the token is validated, the caller
/// authorised and its actor checked by the account grain) and off, in alternating rounds of one run, so that the
/// price of authentication is measured side by side on the same machine state. Only acknowledged commands (200) count.
/// </summary>
public static class HttpScenario
{
    private const string Customer = "bench";

    /// <summary>
    /// One round: a fresh process on <paramref name="store"/> (its settings as environment variables), with
    /// authentication <paramref name="authenticated"/> or not, on accounts of its own (ids start with <paramref name="round"/>).
    /// </summary>
    /// <remarks>
    /// Also measures where the machine's CPU went in the measured window (<see cref="ProcessCpu"/>: the app is the
    /// front-end role), on Linux.
    /// </remarks>
    public static async Task<(ThroughputResult Commands, CpuUse? Cpu)> RunAsync(
        IReadOnlyDictionary<string, string> store, bool authenticated, string round, int accountCount, int callers, TimeSpan warmUp, TimeSpan measured, string? progress = null, Action? failed = null)
    {
        var environment = new Dictionary<string, string>(store, StringComparer.Ordinal)
        {
            ["OrleansCqrs__Auth__Enabled"] = authenticated ? "true" : "false",
            // One customer's token drives every account: its customer may hold them all.
            ["OrleansCqrs__Bank__MaxAccountsPerCustomer"] = "100000",
            ["OrleansCqrs__SiloPort"] = $"{Ports.Free()}",
            ["OrleansCqrs__GatewayPort"] = $"{Ports.Free()}",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        await using var api = ServiceProcess.Start(authenticated ? "api (authenticated)" : "api (anonymous)", LocalCluster.ProgramPath("OrleansCqrs.Api"), environment);
        await api.WaitUntilReadyAsync(LocalCluster.StartTimeout);
        using var client = api.CreateClient();
        if (authenticated)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await DevelopmentTokenAsync(client));
        }

        var accounts = await OpenAccountsAsync(client, round, accountCount, callers);
        var cpu = ProcessCpu.MeasureAsync(warmUp, measured, PostgresPort(store));
        var commands = await ClosedLoad.RunAsync(callers, worker => HttpDeposits.RunAsync(client, accounts, worker, failed), warmUp, measured, progress);
        return (commands, await cpu);
    }

    /// <summary>The port of the PostgreSQL server the app uses, so its CPU is told apart; 0 for another store.</summary>
    private static int PostgresPort(IReadOnlyDictionary<string, string> store) =>
        store.TryGetValue("OrleansCqrs__PostgresConnectionString", out var connectionString) && connectionString.Length > 0
            ? new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Port
            : 0;

    private static async Task<string> DevelopmentTokenAsync(HttpClient client)
    {
        using var response = await client.PostAsJsonAsync(new Uri("/api/dev/token", UriKind.Relative), new { customerId = Customer });
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"No development token: {(int)response.StatusCode} {body}");
        }

        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("accessToken").GetString()!;
    }

    private static async Task<string[]> OpenAccountsAsync(HttpClient client, string round, int count, int callers)
    {
        var ids = Enumerable.Range(0, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"{round}-{i:D6}")).ToArray();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, callers) }, async (id, cancellationToken) =>
        {
            using var content = new StringContent($$"""{"accountId":"{{id}}","customerId":"{{Customer}}","currency":"EUR"}""", Encoding.UTF8, "application/json");
            using var response = await client.PostAsync(new Uri("/api/accounts", UriKind.Relative), content, cancellationToken);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"Opening {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
        });
        return ids;
    }
}
