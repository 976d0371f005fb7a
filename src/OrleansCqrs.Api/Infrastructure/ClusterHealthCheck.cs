using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrleansCqrs.Api.Infrastructure;

/// <summary>Ready when at least one silo is active and answers: the front end can serve commands and queries.</summary>
internal sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var silos = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return silos.Count > 0
                ? HealthCheckResult.Healthy($"{silos.Count} active silo(s)")
                : HealthCheckResult.Unhealthy("No silo is active.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The cluster does not answer.", ex);
        }
    }
}
