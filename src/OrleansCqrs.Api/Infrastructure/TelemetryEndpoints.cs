using OrleansCqrs.Hosting;

namespace OrleansCqrs.Api.Infrastructure;

/// <summary>
/// The front end's telemetry (docs/telemetry.md): traces and metrics as <c>OrleansCqrs:Telemetry</c> says, and two
/// endpoints for operators only, since both tell a stranger how busy the bank is and which grains it runs: the
/// Prometheus scrape (<c>/metrics</c>) and the Orleans dashboard (<c>/dashboard</c>).
/// </summary>
public static class TelemetryEndpoints
{
    public const string ServiceName = "orleanscqrs-api";

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOrleansCqrsTelemetry(builder.Configuration, ServiceName);
        return builder;
    }

    public static WebApplication MapTelemetryEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPrometheusEndpoint(app.Configuration)?.RequireAuthorization(ApiAuthentication.Operator).ExcludeFromDescription();
        app.MapDashboard(app.Configuration)?.RequireAuthorization(ApiAuthentication.Operator).ExcludeFromDescription();
        return app;
    }
}
