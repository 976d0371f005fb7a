using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orleans.Dashboard;
using OrleansCqrs.Framework.Telemetry;

namespace OrleansCqrs.Hosting;

/// <summary>
/// OpenTelemetry for a process of ours, as <c>OrleansCqrs:Telemetry</c> says (docs/telemetry.md): traces of HTTP
/// requests, grain calls (Orleans' activity propagation), the framework's spans and PostgreSQL commands; metrics of
/// the framework, Orleans, ASP.NET Core, Npgsql and the runtime; exported over OTLP when an endpoint is configured and
/// scraped by Prometheus where the host maps <see cref="MapPrometheusEndpoint"/>.
/// </summary>
public static class TelemetrySetup
{
    /// <summary>Orleans' spans of application grain calls (ours).</summary>
    public const string OrleansApplicationSource = "Microsoft.Orleans.Application";

    /// <summary>Orleans' spans of its own runtime's calls (streams, membership, ...), and of ours (see below).</summary>
    public const string OrleansRuntimeSource = "Microsoft.Orleans.Runtime";

    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>The ASP.NET Core, Kestrel, Npgsql and .NET runtime meters (built into .NET 10 and Npgsql).</summary>
    public static readonly string[] PlatformMeters =
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.RateLimiting", "System.Runtime", "Npgsql"];

    /// <summary>The OpenTelemetry SDK for this process, named <paramref name="serviceName"/> in what it exports.</summary>
    public static IServiceCollection AddOrleansCqrsTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = OrleansCqrsSettings.From(configuration).Telemetry;
        if (!settings.Enabled)
        {
            return services;
        }

        // The standard variable is read by the exporter itself; our setting, when given, wins.
        var otlp = settings.ExportsOverOtlp(configuration);
        var telemetry = services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService(serviceName));
        if (settings.RecordsTraces(configuration))
        {
            telemetry.WithTracing(tracing =>
            {
                ConfigureTracing(tracing, settings);
                AddAspNetCore(tracing, settings);
                if (otlp)
                {
                    tracing.AddOtlpExporter(options => UseEndpoint(options, settings));
                }
            });
        }

        if (settings.Metrics)
        {
            telemetry.WithMetrics(metrics =>
            {
                ConfigureMetrics(metrics);
                if (settings.Prometheus)
                {
                    metrics.AddPrometheusExporter();
                }

                if (otlp)
                {
                    metrics.AddOtlpExporter(options => UseEndpoint(options, settings));
                }
            });
        }

        return services;
    }

    /// <summary>
    /// What this process traces, without exporters: the framework's, Orleans' and Npgsql's spans, sampled so that only
    /// commands start traces. Public for hosts that build their own provider (the benchmark switches it on and off).
    /// </summary>
    public static TracerProviderBuilder ConfigureTracing(TracerProviderBuilder tracing, TelemetrySettings settings)
    {
        ArgumentNullException.ThrowIfNull(tracing);
        ArgumentNullException.ThrowIfNull(settings);
        // Orleans files a grain call under its runtime source when the interface's namespace starts with "Orleans",
        // which ours (OrleansCqrs.*) do: both sources are needed to see the grain calls. The sampler keeps the
        // runtime's own background calls out.
        return tracing.SetSampler(new ParentBasedSampler(new RootSpanSampler(settings.TraceSampleRatio)))
            .AddSource(CqrsTelemetry.Name, OrleansApplicationSource, OrleansRuntimeSource)
            .AddNpgsql();
    }

    /// <summary>What this process measures, without exporters: the framework's, Orleans', ASP.NET Core's, Npgsql's and the runtime's meters.</summary>
    public static MeterProviderBuilder ConfigureMetrics(MeterProviderBuilder metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return metrics.AddMeter(CqrsTelemetry.Name, OrleansMeter).AddMeter(PlatformMeters);
    }

    private static void AddAspNetCore(TracerProviderBuilder tracing, TelemetrySettings settings) =>
        tracing.AddAspNetCoreInstrumentation(options => options.Filter = context => IsTraced(context, settings));

    /// <summary>A silo: grain calls carry the trace context if it records traces; the dashboard's statistics are collected.</summary>
    public static ISiloBuilder AddOrleansCqrsTelemetry(this ISiloBuilder silo, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var settings = OrleansCqrsSettings.From(configuration).Telemetry;
        if (settings.RecordsTraces(configuration))
        {
            silo.AddActivityPropagation();
        }

        if (settings.DashboardEnabled)
        {
            silo.AddDashboard();
        }

        return silo;
    }

    /// <summary>A front end of a cluster: its grain calls carry the trace context if it records traces; it can serve the dashboard of the silos.</summary>
    public static IClientBuilder AddOrleansCqrsTelemetry(this IClientBuilder client, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(client);
        var settings = OrleansCqrsSettings.From(configuration).Telemetry;
        if (settings.RecordsTraces(configuration))
        {
            client.AddActivityPropagation();
        }

        if (settings.DashboardEnabled)
        {
            client.AddDashboard();
        }

        return client;
    }

    /// <summary>The Prometheus scrape endpoint, if on; the caller decides who may call it. Null when off.</summary>
    public static IEndpointConventionBuilder? MapPrometheusEndpoint(this IEndpointRouteBuilder endpoints, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var settings = OrleansCqrsSettings.From(configuration).Telemetry;
        return settings is { Enabled: true, Metrics: true, Prometheus: true } ? endpoints.MapPrometheusScrapingEndpoint(settings.PrometheusPath) : null;
    }

    /// <summary>The Orleans dashboard, if on; the caller decides who may call it. Null when off.</summary>
    public static IEndpointConventionBuilder? MapDashboard(this IEndpointRouteBuilder endpoints, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var settings = OrleansCqrsSettings.From(configuration).Telemetry;
        return settings.DashboardEnabled ? endpoints.MapOrleansDashboard(settings.DashboardPath) : null;
    }

    /// <summary>Probes, scrapes and the dashboard's own polling are not the work anyone wants traced.</summary>
    private static bool IsTraced(HttpContext context, TelemetrySettings settings)
    {
        var path = context.Request.Path;
        return !path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
            && !path.StartsWithSegments(settings.PrometheusPath, StringComparison.OrdinalIgnoreCase)
            && !path.StartsWithSegments(settings.DashboardPath, StringComparison.OrdinalIgnoreCase);
    }

    private static void UseEndpoint(OtlpExporterOptions options, TelemetrySettings settings)
    {
        if (!string.IsNullOrWhiteSpace(settings.OtlpEndpoint))
        {
            options.Endpoint = new Uri(settings.OtlpEndpoint);
        }
    }
}
