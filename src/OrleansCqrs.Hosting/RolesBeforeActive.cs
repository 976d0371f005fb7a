using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OrleansCqrs.Framework.Roles;

namespace OrleansCqrs.Hosting;

/// <summary>
/// Keeps a joining silo from becoming active (and opening its gateway) before it can place both sides' grains.
/// <para>
/// A silo learns the others' roles from their metadata, which Orleans fetches from each of them once it has joined,
/// or by asking them (<see cref="PublishedRoles.AskAsync"/>). Until one has answered,
/// <see cref="SiloRoleFilterDirector"/> sees no silo of the other side and refuses to place its grains. A read silo
/// restarted while the cluster runs would so answer a command sent through its gateway with
/// <see cref="SiloRoleUnavailableException"/> (503 at the front end) although the write silo never left; CI saw it.
/// </para>
/// <para>
/// So the silo waits, just before it becomes active, until it knows a silo hosting each side, or the role of every
/// active silo (then a side nobody hosts is really missing, and is refused as it should be). The wait is bounded by
/// <see cref="Bound"/>: a silo whose metadata cannot be fetched (it is dying unseen) must not keep the cluster from
/// gaining a member.
/// </para>
/// </summary>
internal sealed partial class RolesBeforeActive(
    PublishedRoles roles,
    LocalSiloRole local,
    ILocalSiloDetails self,
    IClusterMembershipService membership,
    ILogger<RolesBeforeActive> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>The longest a silo waits for the others' roles before it becomes active anyway.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    // Metadata arrives from Orleans' own fetch, which raises no event: looked at again this often while waiting.
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(RolesBeforeActive), ServiceLifecycleStage.BecomeActive - 1, WaitAsync);

    private async Task WaitAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        for (var waited = false; ; waited = true)
        {
            var (unknown, bothSidesHosted) = await UnknownRolesAsync();
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (bothSidesHosted || unknown.Count == 0)
            {
                if (waited)
                {
                    LogKnown(elapsed);
                }

                return;
            }

            if (elapsed >= Bound)
            {
                LogStillUnknown(Bound, unknown);
                return;
            }

            await Task.Delay(Poll, cancellationToken);
        }
    }

    /// <summary>
    /// The active silos whose role has not reached this silo, once they were asked, and whether known silos (this one
    /// too) host both sides.
    /// </summary>
    private async Task<(IReadOnlyList<SiloAddress> Unknown, bool BothSidesHosted)> UnknownRolesAsync()
    {
        var others = membership.CurrentSnapshot.Members.Values
            .Where(member => member.Status == SiloStatus.Active && !member.SiloAddress.Equals(self.SiloAddress))
            .Select(member => member.SiloAddress)
            .ToList();
        var unknown = await roles.AskAsync(others);
        var known = others.Select(roles.RoleOf).OfType<SiloRole>().Append(local.Role).ToList();
        return (unknown, known.Any(role => role.Hosts(SiloRole.Write)) && known.Any(role => role.Hosts(SiloRole.Read)));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The roles of the cluster's silos were known after {Waited}; becoming active")]
    private partial void LogKnown(TimeSpan waited);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Becoming active after {Waited} without the roles of {Silos}: grains of a side only they host cannot be placed from here until their metadata arrives")]
    private partial void LogStillUnknown(TimeSpan waited, IReadOnlyList<SiloAddress> silos);
}
