using Microsoft.Extensions.Logging;
using OrleansCqrs.Framework.Hosting;

namespace OrleansCqrs.Hosting;

/// <summary>
/// Keeps this silo's <see cref="PublishedRoles"/> knowing the role of every live silo, whether or not anything here
/// asked for it yet. Orleans drops a silo's metadata once it is declared dead, and the operator's status, answered by
/// whichever silo is left, must still say which side died: a silo that had never looked at the dead one's role
/// could not.
/// </summary>
internal sealed partial class RoleWatch(PublishedRoles roles, IClusterMembershipService membership, ILogger<RoleWatch> logger) : PeriodicSiloWork
{
    protected override TimeSpan Every => TimeSpan.FromSeconds(1);

    protected override bool IsNeeded => true;

    protected override Task RunOnceAsync()
    {
        foreach (var member in membership.CurrentSnapshot.Members.Values)
        {
            if (member.Status == SiloStatus.Active)
            {
                // Remembered once its metadata has arrived here.
                roles.RoleOf(member.SiloAddress);
            }
        }

        return Task.CompletedTask;
    }

    protected override void OnFailed(Exception exception) => LogFailed(exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not note the roles of the cluster's silos")]
    private partial void LogFailed(Exception exception);
}
