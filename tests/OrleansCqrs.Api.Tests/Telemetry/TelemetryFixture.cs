using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using OrleansCqrs.Api.Tests.Accounts;

namespace OrleansCqrs.Api.Tests.Telemetry;

/// <summary>
/// The front end with its telemetry on and traces recorded (by default they are only when exported over OTLP), plus
/// in-memory exporters beside the configured ones: every finished span, and the metrics as of the last
/// <see cref="CollectMetrics"/>. Its events are in SQLite (a temporary folder), so appends go through group commit as
/// in the embedded mode.
/// </summary>
public sealed class TelemetryFixture : ApiHostFixture
{
    public TelemetryFixture()
        : this(new LockedCollection<Activity>(), new LockedCollection<MetricSnapshot>())
    {
    }

    private TelemetryFixture(LockedCollection<Activity> spans, LockedCollection<MetricSnapshot> metrics)
        : base(new ApiHost(services => services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddInMemoryExporter(spans))
            .WithMetrics(meters => meters.AddInMemoryExporter(metrics)),
            ("OrleansCqrs:Telemetry:Tracing", "true"),
            ("OrleansCqrs:Store", "Sqlite"),
            ("OrleansCqrs:DataDirectory", Directory.CreateTempSubdirectory("orleanscqrs-telemetry-").FullName)))
    {
        Spans = spans;
        Metrics = metrics;
    }

    public LockedCollection<Activity> Spans { get; }

    public LockedCollection<MetricSnapshot> Metrics { get; }

    /// <summary>The metrics as of now: a collection forced through every reader, the in-memory one's result returned.</summary>
    public List<MetricSnapshot> CollectMetrics()
    {
        Metrics.Clear();
        // The Prometheus reader reports failure when nobody scrapes; the in-memory reader has its copy all the same.
        Host.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000);
        return Metrics.Snapshot();
    }
}
