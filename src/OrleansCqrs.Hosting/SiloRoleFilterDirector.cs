using Orleans.Placement;
using Orleans.Runtime.Placement;
using OrleansCqrs.Framework.Roles;

namespace OrleansCqrs.Hosting;

/// <summary>
/// Keeps the silos whose role hosts the grain's side. A silo's role is read from its metadata as this silo has cached
/// it; a silo whose metadata has not arrived yet (it joined a moment ago) is left out until it does, rather than
/// guessed: guessing "all" could put an aggregate on a read silo. This silo's own role is known from the start.
/// With no silo left, placement fails at once with <see cref="SiloRoleUnavailableException"/> (503 at the front end)
/// instead of leaving the caller to time out; if some silos' roles have not arrived, the refusal says so
/// (<see cref="SiloRoleUnavailableException.RolesArriving"/>) and the front end sends the call again.
/// </summary>
internal sealed class SiloRoleFilterDirector(PublishedRoles roles) : IPlacementFilterDirector
{
    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
    {
        ArgumentNullException.ThrowIfNull(silos);
        var side = filterStrategy is SiloRoleFilter filter ? filter.Side : SiloRole.All;
        if (side == SiloRole.All)
        {
            return silos;
        }

        var hosting = new List<SiloAddress>();
        var rolesArriving = false;
        foreach (var silo in silos)
        {
            if (roles.RoleOf(silo) is not { } role)
            {
                rolesArriving = true;
            }
            else if (role.Hosts(side))
            {
                hosting.Add(silo);
            }
        }

        return hosting.Count > 0
            ? hosting
            : throw new SiloRoleUnavailableException(
                rolesArriving
                    ? $"No {side.Name()} silo is known here to host {target.GrainIdentity}: the roles of silos that joined a moment ago have not arrived yet."
                    : $"No {side.Name()} silo is up to host {target.GrainIdentity}: the cluster's silos of role {side.Name()} or all are all down or still joining.",
                rolesArriving);
    }
}
