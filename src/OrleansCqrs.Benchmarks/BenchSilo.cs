using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansCqrs.Bank;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using OrleansCqrs.Hosting;

namespace OrleansCqrs.Benchmarks;

/// <summary>A silo configured exactly as the app configures it, with its own grain client.</summary>
public sealed class BenchSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private BenchSilo(IHost host) => _host = host;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public IEventStore Store => _host.Services.GetRequiredService<IEventStore>();

    public EventSerializer Serializer => _host.Services.GetRequiredService<EventSerializer>();

    /// <summary>
    /// Starts listening as a process with telemetry on does (every span the sampler keeps; every metric, collected
    /// each second as a Prometheus scrape would; nothing sent anywhere) until disposed. For a silo started with telemetry on in its silo builder only
    /// (<c>OrleansCqrs:Telemetry:Enabled</c> true, <c>services: false</c> in <see cref="StartAsync"/>): its
    /// grain calls carry trace context and its dashboard collects, and spans and measurements cost only a null check
    /// while nothing listens, so the same silo is measured with telemetry on and off moments apart.
    /// </summary>
    public IDisposable ListenToTelemetry()
    {
        var configuration = _host.Services.GetRequiredService<IConfiguration>();
        var settings = OrleansCqrsSettings.From(configuration).Telemetry;
        // As the silo's settings say: traces only if exported, unless OrleansCqrs__Telemetry__Tracing=true in the
        // environment (what an operator's collector costs); ...__Metrics=false measures traces without metrics.
        var tracing = settings.RecordsTraces(configuration)
            ? TelemetrySetup.ConfigureTracing(Sdk.CreateTracerProviderBuilder(), settings).AddSource(CommandScenario.TelemetrySource.Name).Build()
            : null;
        var metrics = settings.Metrics
            ? TelemetrySetup.ConfigureMetrics(Sdk.CreateMeterProviderBuilder())
                .AddReader(new PeriodicExportingMetricReader(new DiscardingMetricExporter(), exportIntervalMilliseconds: 1000))
                .Build()
            : null;
        return new Listening(tracing, metrics);
    }

    public static async Task<BenchSilo> StartAsync(IReadOnlyDictionary<string, string?> settings, string dataRoot, bool services = true)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering()
            .AddOrleansCqrsTelemetry(builder.Configuration)
            .AddOrleansCqrs(builder.Configuration, dataRoot, cqrs => cqrs.AddDomain<BankModule>()));
        // As the front end and silo hosts do, when OrleansCqrs:Telemetry:Enabled says so: every span and measurement
        // recorded and aggregated, exported nowhere (no OTLP endpoint, nobody scraping).
        if (services)
        {
            builder.Services.AddOrleansCqrsTelemetry(builder.Configuration, "orleanscqrs-benchmark");
            builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(CommandScenario.TelemetrySource.Name));
        }

        var host = builder.Build();
        await host.StartAsync();
        return new BenchSilo(host);
    }

    /// <summary>Deactivates every grain activation, and checks that none is left.</summary>
    public async Task DeactivateAllAsync()
    {
        var management = Grains.GetGrain<IManagementGrain>(0);
        await management.ForceActivationCollection(TimeSpan.Zero);
        var left = (await management.GetSimpleGrainStatistics()).Where(s => s.GrainType.EndsWith(".AccountGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
        if (left > 0)
        {
            throw new InvalidOperationException($"{left} account activations survived the collection.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    private sealed class Listening(TracerProvider? tracing, MeterProvider? metrics) : IDisposable
    {
        public void Dispose()
        {
            tracing?.Dispose();
            metrics?.Dispose();
        }
    }
}
