using System.Net;
using System.Text;
using Npgsql;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Benchmarks;

/// <summary>
/// Durable deposits over HTTP into a cluster of real processes, as users reach it: N silo processes and one front end
/// (src/OrleansCqrs.Silo and src/OrleansCqrs.Api, started by <see cref="LocalCluster"/>) on a fresh PostgreSQL
/// database. A closed loop of HTTP callers, each depositing into a random account and waiting for the answer; only
/// acknowledged commands (200) count.
/// </summary>
public static class ClusterScenario
{
    public static async Task<ClusterRound> RunAsync(
        PostgresServer server, int silos, int accountCount, int callers, TimeSpan warmUp, TimeSpan measured, IReadOnlyList<string>? roles = null, string? progress = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var database = await server.CreateDatabaseAsync("cluster");
        try
        {
            await using var cluster = await LocalCluster.StartAsync(database, silos, frontEnds: 1, roles: roles);
            using var client = cluster.FrontEnds[0].CreateClient(TestTokens.Shared.Operator());
            var accounts = await OpenAccountsAsync(client, accountCount, callers);
            var failed = 0;
            var cpu = ProcessCpu.MeasureAsync(warmUp, measured, new NpgsqlConnectionStringBuilder(database).Port);
            var commits = PostgresCommits.MeasureAsync(server.AdminConnectionString, warmUp, measured);
            var commands = await ClosedLoad.RunAsync(callers, worker => HttpDeposits.RunAsync(client, accounts, worker, () => Interlocked.Increment(ref failed)), warmUp, measured, progress);
            return new ClusterRound(silos, commands, failed, await cpu, await commits);
        }
        finally
        {
            await DropAsync(server, database);
        }
    }

    public static async Task<string[]> OpenAccountsAsync(HttpClient client, int count, int callers)
    {
        var ids = Enumerable.Range(0, count).Select(i => $"bench-{i:D6}").ToArray();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, callers) }, async (i, cancellationToken) =>
        {
            // An operator opens them, 50 to a customer (a customer holds at most OrleansCqrs:Bank:MaxAccountsPerCustomer).
            var (id, customer) = (ids[i], $"bench-{i / 50}");
            using var content = new StringContent($$"""{"accountId":"{{id}}","customerId":"{{customer}}","currency":"EUR"}""", Encoding.UTF8, "application/json");
            using var response = await client.PostAsync(new Uri("/api/accounts", UriKind.Relative), content, cancellationToken);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"Opening {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
        });
        return ids;
    }

    /// <summary>Every round has its own database; dropping it keeps the next round's server as quiet as the first's.</summary>
    public static async Task DropAsync(PostgresServer server, string database)
    {
        var name = new NpgsqlConnectionStringBuilder(database).Database;
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>One configuration of one round: its commands, the commands that failed, where the CPU went, the database's commits per second.</summary>
public sealed record ClusterRound(int Silos, ThroughputResult Commands, int Failed, CpuUse? Cpu, double CommitsPerSecond);
