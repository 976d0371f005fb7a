using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrleansCqrs.Silo;

/// <summary>Ready while this silo is an active member of the cluster (joined, not shutting down).</summary>
internal sealed class SiloHealthCheck(IClusterMembershipService membership, ILocalSiloDetails local) : IHealthCheck
{
    /// <summary>Health endpoints of a silo host, unless ASPNETCORE_URLS says otherwise.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8081";

    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(local.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy($"{local.SiloAddress} is active")
            : HealthCheckResult.Unhealthy($"{local.SiloAddress} is {status}"));
    }
}
