using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using OrleansCqrs.Framework.Roles;

namespace OrleansCqrs.Hosting;

/// <summary>
/// Silo roles: this silo publishes its role (<c>OrleansCqrs:Role</c>) as Orleans silo metadata, and places grains
/// marked <see cref="WriteSideAttribute"/> or <see cref="ReadSideAttribute"/> (the framework's bases are) only on silos
/// whose role hosts their side (<see cref="SiloRoleFilterDirector"/>).
/// </summary>
public static class SiloRoleSetup
{
    /// <summary>
    /// Every silo of ours registers the filter, whatever its role: a grain type's side is part of its properties, and a
    /// silo that places it must know the filter they name.
    /// </summary>
    public static ISiloBuilder AddSiloRole(this ISiloBuilder silo, IConfiguration configuration, OrleansCqrsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(settings);
        var role = settings.RequireRole();
        silo.Services.AddSingleton(new LocalSiloRole(role));
        silo.Services.AddSingleton<PublishedRoles>();
        silo.AddGrainService<SiloRoleService>();
        silo.Services.AddSingleton<ISiloRoleClient, SiloRoleClient>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, RoleWatch>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, RolesBeforeActive>();
        // Orleans' own metadata section (Orleans:Metadata) still works: the role is published beside it. Orleans'
        // UseSiloMetadata registers its services each time it is called, so it is called here once, with both.
        var metadata = configuration.GetSection("Orleans:Metadata").Get<Dictionary<string, string>>() ?? [];
        metadata[SiloRoles.MetadataKey] = role.Name();
        silo.UseSiloMetadata(metadata);
        // Transient, as Orleans registers its own: the runtime initializes a filter instance per grain type.
        silo.Services.AddPlacementFilter<SiloRoleFilter, SiloRoleFilterDirector>(ServiceLifetime.Transient);
        return silo;
    }
}
