using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;

namespace OrleansCqrs.Hosting;

/// <summary>
/// Health endpoints of every process (silo hosts, front ends), for docker-compose, load balancers and scripts:
/// <c>/health/live</c> answers while the process runs, <c>/health/ready</c> once it can do its job.
/// </summary>
public static class Health
{
    /// <summary>Tag of the checks that decide readiness.</summary>
    public const string Ready = "ready";

    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Anonymous even where the API requires a token: probes carry none, and the answer is only a status word.
        endpoints.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        endpoints.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready) }).AllowAnonymous();
        return endpoints;
    }
}
