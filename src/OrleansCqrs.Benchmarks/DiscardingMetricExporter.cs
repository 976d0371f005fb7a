using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace OrleansCqrs.Benchmarks;

/// <summary>
/// A metric exporter that drops what it is given: with a reader collecting through it every second, the process
/// aggregates and collects every metric as one scraped by Prometheus each second does, and sends nothing anywhere.
/// </summary>
internal sealed class DiscardingMetricExporter : BaseExporter<Metric>
{
    public override ExportResult Export(in Batch<Metric> batch) => ExportResult.Success;
}
