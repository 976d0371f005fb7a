using Orleans.Concurrency;
using OrleansCqrs.Framework.Roles;

namespace OrleansCqrs.Hosting;

/// <summary>
/// Answers on a silo because the roles are there: each silo publishes its role in Orleans' silo metadata, which
/// silos share among themselves and a grain client never sees. Membership comes from the management grain, the
/// same table every silo votes in.
/// </summary>
[StatelessWorker, Reentrant]
internal sealed class ClusterSilos(PublishedRoles roles, TimeProvider time) : Grain, IClusterSilos
{
    public async Task<IReadOnlyList<SiloSummary>> GetSilos(TimeSpan deadWithin)
    {
        var since = time.GetUtcNow() - deadWithin;
        var hosts = await GrainFactory.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false);
        return [.. hosts
            .Where(host => host.Status != SiloStatus.Dead || new DateTimeOffset(host.IAmAliveTime, TimeSpan.Zero) >= since)
            .OrderBy(host => host.SiloName, StringComparer.Ordinal)
            .Select(host => new SiloSummary(
                host.SiloName,
                host.SiloAddress.Endpoint.ToString(),
                roles.RoleOf(host.SiloAddress),
                StatusName(host.Status),
                new DateTimeOffset(host.StartTime, TimeSpan.Zero),
                new DateTimeOffset(host.IAmAliveTime, TimeSpan.Zero)))];
    }

    private static string StatusName(SiloStatus status) => status switch
    {
        SiloStatus.Active => "active",
        SiloStatus.Joining or SiloStatus.Created => "joining",
        SiloStatus.ShuttingDown or SiloStatus.Stopping => "shutting-down",
        SiloStatus.Dead => "dead",
        _ => status.ToString().ToLowerInvariant(),
    };
}
