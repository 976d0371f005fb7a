using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using OrleansCqrs.Hosting;

namespace OrleansCqrs.Api.Tests.Telemetry;

/// <summary>
/// Traces are recorded where they go somewhere (docs/telemetry.md): with <c>OrleansCqrs:Telemetry:Tracing</c> unset, a
/// process records them, and its grain calls carry trace context, only when it exports over OTLP. Metrics stay on.
/// </summary>
public sealed class TracingDefaultTests
{
    [Theory]
    [InlineData(null, null, null, false)]
    [InlineData(null, "http://127.0.0.1:4317", null, true)]
    [InlineData(null, null, "http://127.0.0.1:4317", true)]
    [InlineData("true", null, null, true)]
    [InlineData("false", "http://127.0.0.1:4317", null, false)]
    public void Traces_are_recorded_when_exported_or_asked_for(string? tracing, string? otlpEndpoint, string? standardVariable, bool recorded)
    {
        var configuration = Configuration(
            ("OrleansCqrs:Telemetry:Tracing", tracing),
            ("OrleansCqrs:Telemetry:OtlpEndpoint", otlpEndpoint),
            ("OTEL_EXPORTER_OTLP_ENDPOINT", standardVariable));

        using var services = new ServiceCollection().AddOrleansCqrsTelemetry(configuration, "test").BuildServiceProvider();

        Assert.Equal(recorded, services.GetService<TracerProvider>() is not null);
        Assert.NotNull(services.GetService<MeterProvider>());
        Assert.Equal(recorded, CarriesTraceContext(configuration));
    }

    [Fact]
    public void Telemetry_switched_off_records_no_traces_even_when_asked_for_them()
    {
        var configuration = Configuration(("OrleansCqrs:Telemetry:Enabled", "false"), ("OrleansCqrs:Telemetry:Tracing", "true"));

        using var services = new ServiceCollection().AddOrleansCqrsTelemetry(configuration, "test").BuildServiceProvider();

        Assert.Null(services.GetService<TracerProvider>());
        Assert.False(CarriesTraceContext(configuration));
    }

    private static IConfiguration Configuration(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Where(s => s.Value is not null).Select(s => KeyValuePair.Create(s.Key, s.Value)))
            .Build();

    // Whether a silo so configured puts Orleans' trace-context filters on its grain calls (registered, not started).
    private static bool CarriesTraceContext(IConfiguration configuration)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo.AddOrleansCqrsTelemetry(configuration));
        return builder.Services.Any(service => service.ImplementationType?.Name == "ActivityPropagationIncomingGrainCallFilter");
    }
}
