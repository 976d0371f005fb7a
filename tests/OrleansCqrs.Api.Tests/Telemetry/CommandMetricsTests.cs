using System.Net;
using OpenTelemetry.Metrics;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Api.Tests.Telemetry;

/// <summary>
/// The framework's metrics as an exporter sees them. Other tests of this assembly run beside these and the instruments
/// are process-wide, so counts are asserted as at least what this test caused.
/// </summary>
public sealed class CommandMetricsTests(TelemetryFixture fixture) : IClassFixture<TelemetryFixture>
{
    [Fact]
    public async Task Commands_are_counted_by_type_and_outcome_and_a_rejection_by_its_code()
    {
        var customer = $"cust-{Guid.NewGuid():N}";
        using var client = fixture.Host.CustomerClient(customer);
        var account = await client.OpenAccountAsync(customer);
        await client.DepositAsync(account, 10m);
        await (await client.PostAsync($"/api/accounts/{account}/withdraw", """{"amount":1000}""")).ProblemAsync(HttpStatusCode.Conflict);

        var metrics = fixture.CollectMetrics();

        Assert.True(Sum(metrics, "orleanscqrs.commands", ("command", "DepositMoney"), ("outcome", "accepted"), ("aggregate", "bank.account")) >= 1, Names(metrics));
        Assert.True(Sum(metrics, "orleanscqrs.commands", ("command", "WithdrawMoney"), ("outcome", "rejected"), ("code", "insufficient-funds")) >= 1, Names(metrics));
        Assert.True(Count(metrics, "orleanscqrs.eventstore.batch.size", ("store", "sqlite")) >= 2, Names(metrics));
        Assert.True(Count(metrics, "orleanscqrs.eventstore.commit.duration", ("store", "sqlite")) >= 2, Names(metrics));
    }

    [Fact]
    public async Task The_lag_of_the_account_summary_is_recorded_as_it_applies_a_deposit()
    {
        var customer = $"cust-{Guid.NewGuid():N}";
        using var client = fixture.Host.CustomerClient(customer);
        var account = await client.OpenAccountAsync(customer);
        var version = await client.DepositAsync(account, 10m);
        await (await client.GetAsync($"/api/accounts/{account}?minVersion={version}")).OkAsync();

        var metrics = await Eventually.ReturnsAsync(
            () => Task.FromResult(fixture.CollectMetrics()),
            m => Count(m, "orleanscqrs.projection.lag", ("read_model", "AccountSummaryProjection")) >= 2,
            TimeSpan.FromSeconds(10),
            "the account summary's lag to be recorded for both events",
            Names);

        Assert.True(Count(metrics, "orleanscqrs.projection.events_behind", ("read_model", "AccountSummaryProjection")) >= 2, Names(metrics));
    }

    private static IEnumerable<MetricPoint> Points(List<MetricSnapshot> metrics, string name, (string Key, string Value)[] tags) =>
        metrics.Where(m => m.Name == name)
            .SelectMany(m => m.MetricPoints)
            .Where(p => tags.All(t => HasTag(p, t.Key, t.Value)));

    private static bool HasTag(MetricPoint point, string key, string value)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key && Equals(tag.Value?.ToString(), value))
            {
                return true;
            }
        }

        return false;
    }

    private static long Sum(List<MetricSnapshot> metrics, string name, params (string Key, string Value)[] tags) =>
        Points(metrics, name, tags).Sum(p => p.GetSumLong());

    private static long Count(List<MetricSnapshot> metrics, string name, params (string Key, string Value)[] tags) =>
        Points(metrics, name, tags).Sum(p => p.GetHistogramCount());

    private static string Names(List<MetricSnapshot> metrics) => string.Join(", ", metrics.Select(m => m.Name).Distinct());
}
