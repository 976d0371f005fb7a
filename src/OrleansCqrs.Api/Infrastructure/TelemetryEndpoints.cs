using OrleansCqrs.Framework.AspNetCore;
using OrleansCqrs.Framework.AspNetCore.Security;
using OrleansCqrs.Hosting;

namespace OrleansCqrs.Api.Infrastructure;

/// <summary>
/// The front end's telemetry (docs/telemetry.md): traces and metrics as <c>OrleansCqrs:Telemetry</c> says, and two
/// endpoints for operators only, since both tell a stranger how busy the bank is and which grains it runs: the
/// Prometheus scrape (<c>/metrics</c>) and the Orleans dashboard (<c>/dashboard</c>). A browser cannot put a bearer
/// token on a navigation, so the operator's page hands its token over once (<see cref="DashboardSession"/>) and the
/// dashboard's pages authenticate with it as a cookie scoped to the dashboard's path (<see cref="CookieBearer"/>).
/// </summary>
public static class TelemetryEndpoints
{
    public const string ServiceName = "orleanscqrs-api";
    public const string DashboardSession = "/api/admin/dashboard-session";
    public const string DashboardCookie = "orleanscqrs-dashboard";

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOrleansCqrsTelemetry(builder.Configuration, ServiceName);
        var settings = OrleansCqrsSettings.From(builder.Configuration);
        if (settings.Telemetry.DashboardEnabled && settings.Auth.Enabled)
        {
            builder.Services.AcceptCookieBearer(DashboardCookie, settings.Telemetry.DashboardPath);
        }

        return builder;
    }

    public static WebApplication MapTelemetryEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPrometheusEndpoint(app.Configuration)?.RequireAuthorization(ApiAuthentication.Operator).ExcludeFromDescription();
        if (app.MapDashboard(app.Configuration) is { } dashboard)
        {
            dashboard.RequireAuthorization(ApiAuthentication.Operator).ExcludeFromDescription();
            app.MapCookieBearerSession(DashboardSession, DashboardCookie, OrleansCqrsSettings.From(app.Configuration).Telemetry.DashboardPath)
                .RequireAuthorization(ApiAuthentication.Operator)
                .WithTags("Admin")
                .WithName("OpenDashboardSession")
                .ProducesProblems([StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests])
                .WithSummary("Operator only: lets this browser open the Orleans dashboard: the caller's bearer token, set as an HttpOnly, SameSite=Strict cookie for the dashboard's path only, until the token expires.");
        }

        return app;
    }
}
