using Microsoft.Extensions.Logging;
using Orleans.Runtime.Services;
using Orleans.Services;
using OrleansCqrs.Framework.Roles;

namespace OrleansCqrs.Hosting;

/// <summary>A silo's role, asked of the silo itself (<see cref="PublishedRoles.AskAsync"/>).</summary>
[Alias("cqrs.ISiloRoleService")]
internal interface ISiloRoleService : IGrainService
{
    [Alias("role")]
    Task<SiloRole> GetRole();
}

/// <summary>Every silo runs one: it answers the role this silo runs with.</summary>
internal sealed class SiloRoleService(GrainId grainId, Silo silo, ILoggerFactory loggerFactory, LocalSiloRole role)
    : GrainService(grainId, silo, loggerFactory), ISiloRoleService
{
    public Task<SiloRole> GetRole() => Task.FromResult(role.Role);
}

/// <summary>Asks one silo for its role.</summary>
internal interface ISiloRoleClient
{
    Task<SiloRole> RoleOf(SiloAddress silo);
}

internal sealed class SiloRoleClient(IServiceProvider services) : GrainServiceClient<ISiloRoleService>(services), ISiloRoleClient
{
    public Task<SiloRole> RoleOf(SiloAddress silo) => GetGrainService(silo).GetRole();
}
