using Microsoft.Extensions.Logging;
using OrleansCqrs.Framework.Hosting;

namespace OrleansCqrs.Hosting;

/// <summary>
/// Keeps this silo's <see cref="PublishedRoles"/> knowing the role of every live silo, whether or not anything here
/// asked for it yet. Orleans drops a silo's metadata once it is declared dead, and the operator's status, answered by
/// whichever silo is left, must still say which side died: a silo that had never looked at the dead one's role
/// could not. A silo whose metadata did not arrive is asked for its role (<see cref="PublishedRoles.AskAsync"/>): a
/// write silo that restarts is so known to the read silos, and commands through their gateways are placed on it, at
/// the next look instead of minutes later.
/// </summary>
internal sealed partial class RoleWatch(PublishedRoles roles, IClusterMembershipService membership, ILogger<RoleWatch> logger) : PeriodicSiloWork
{
    private readonly HashSet<SiloAddress> _reported = [];

    protected override TimeSpan Every => TimeSpan.FromSeconds(1);

    protected override bool IsNeeded => true;

    protected override async Task RunOnceAsync()
    {
        var active = membership.CurrentSnapshot.Members.Values
            .Where(member => member.Status == SiloStatus.Active)
            .Select(member => member.SiloAddress)
            .ToList();
        foreach (var silo in await roles.AskAsync(active))
        {
            if (_reported.Add(silo))
            {
                LogUnknown(silo);
            }
        }

        _reported.IntersectWith(active);
    }

    protected override void OnFailed(Exception exception) => LogFailed(exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not note the roles of the cluster's silos")]
    private partial void LogFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The role of active silo {Silo} is not known here (its metadata has not arrived and it did not answer): grains of a side only it hosts are not placed from here until it does")]
    private partial void LogUnknown(SiloAddress silo);
}
