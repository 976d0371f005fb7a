using System.Net;
using System.Text.Json;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Cluster.Tests;

/// <summary>
/// Telemetry of a cluster of real processes (docs/telemetry.md): the front end, a grain client, serves the Orleans
/// dashboard of the silos to operators; each silo serves its metrics on its health port.
/// </summary>
public sealed class TelemetryClusterTests(PostgresServerFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task The_front_end_serves_the_dashboard_of_every_silo_to_an_operator_and_each_silo_its_metrics()
    {
        var database = await postgres.Server.CreateDatabaseAsync("telemetry");
        await using var cluster = await LocalCluster.StartAsync(database, silos: 2, frontEnds: 1);
        try
        {
            using var staff = cluster.FrontEnds[0].CreateClient(TestTokens.Shared.Operator());
            using var stranger = cluster.FrontEnds[0].CreateClient();
            var customer = $"cust-{Guid.NewGuid():N}";
            using var client = cluster.FrontEnds[0].CreateClient(TestTokens.Shared.Customer(customer));
            var created = await client.PostAsync(new Uri("/api/accounts", UriKind.Relative), new StringContent($$"""{"customerId":"{{customer}}","currency":"EUR"}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);

            var hosts = await Eventually.ReturnsAsync(
                async () => ActiveHosts(await staff.GetStringAsync(new Uri("/dashboard/DashboardCounters", UriKind.Relative))),
                count => count == 2,
                TimeSpan.FromSeconds(30),
                "the dashboard to count both silos");
            Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync(new Uri("/dashboard/DashboardCounters", UriKind.Relative))).StatusCode);

            // No token: the silo's health port is internal. The account's silo ran the command and committed it.
            using var probe = new HttpClient();
            var scrapes = new List<string>();
            foreach (var silo in new[] { cluster.Silo(1), cluster.Silo(2) })
            {
                scrapes.Add(await probe.GetStringAsync(new Uri(silo.Address, "/metrics")));
            }

            Assert.Equal(2, hosts);
            Assert.All(scrapes, metrics => Assert.Contains("orleans_", metrics, StringComparison.Ordinal));
            Assert.Contains(scrapes, metrics => metrics.Contains("orleanscqrs_commands_total{", StringComparison.Ordinal)
                && metrics.Contains("orleanscqrs_eventstore_commit_duration_milliseconds_bucket{", StringComparison.Ordinal));
        }
        catch
        {
            output.WriteLine(cluster.Output);
            throw;
        }
    }

    private static int ActiveHosts(string counters)
    {
        using var document = JsonDocument.Parse(counters);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Name.Equals("totalActiveHostCount", StringComparison.OrdinalIgnoreCase))
            {
                return property.Value.GetInt32();
            }
        }

        throw new InvalidOperationException($"No totalActiveHostCount in {counters}");
    }
}
