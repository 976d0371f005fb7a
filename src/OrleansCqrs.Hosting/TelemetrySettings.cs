using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace OrleansCqrs.Hosting;

/// <summary>
/// Traces, metrics and the Orleans dashboard (<c>OrleansCqrs:Telemetry:Enabled</c>, ...; docs/telemetry.md). On by
/// default; off, no listener is registered at all, so the framework's spans and instruments cost only a null check
/// (what the benchmark's <c>--telemetry off</c> measures against).
/// </summary>
public sealed class TelemetrySettings
{
    /// <summary>Whether this process collects traces and metrics and hosts the dashboard.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Whether traces are recorded (with <see cref="Enabled"/>). Unset, only when they are exported over OTLP: a trace
    /// that goes nowhere still costs every grain call its spans and trace context (measured in a cluster: a third of
    /// a silo's CPU per command). True records them for whatever exporter the host adds; false never (metrics and
    /// the dashboard stay).
    /// </summary>
    public bool? Tracing { get; set; }

    /// <summary>
    /// The share of commands (HTTP requests and other roots) traced, 0 to 1; a sampled command is traced whole,
    /// across processes. Metrics count every command whatever this says.
    /// </summary>
    [Range(0.0, 1.0)]
    public double TraceSampleRatio { get; set; } = 1.0;

    /// <summary>Whether metrics are recorded (with <see cref="Enabled"/>); off, the scrape endpoint is not served either.</summary>
    public bool Metrics { get; set; } = true;

    /// <summary>
    /// Where to send traces and metrics over OTLP, e.g. <c>http://collector:4317</c>. Unset: the standard
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable if set; neither, nothing is exported over OTLP.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>
    /// Whether <see cref="PrometheusPath"/> serves the metrics in Prometheus' text format (front end: operators only;
    /// silo host: on its internal health port).
    /// </summary>
    public bool Prometheus { get; set; } = true;

    public string PrometheusPath { get; set; } = "/metrics";

    /// <summary>Whether the Orleans dashboard runs (silos collect its statistics; the front end serves it to operators).</summary>
    public bool Dashboard { get; set; } = true;

    public string DashboardPath { get; set; } = "/dashboard";

    public bool DashboardEnabled => Enabled && Dashboard;

    /// <summary>Whether traces and metrics go out over OTLP: <see cref="OtlpEndpoint"/>, or the standard variable.</summary>
    public bool ExportsOverOtlp(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrWhiteSpace(OtlpEndpoint) || !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
    }

    /// <summary>Whether this process records traces: <see cref="Tracing"/>, or unset, whether they are exported.</summary>
    public bool RecordsTraces(IConfiguration configuration) => Enabled && (Tracing ?? ExportsOverOtlp(configuration));
}
