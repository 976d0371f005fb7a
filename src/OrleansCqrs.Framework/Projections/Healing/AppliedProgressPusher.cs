using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansCqrs.Framework.Hosting;
using OrleansCqrs.Framework.Roles;

namespace OrleansCqrs.Framework.Projections.Healing;

/// <summary>
/// On each silo, from the moment it is active: sends the healer what this silo's projections applied, every
/// <see cref="HealingOptions.PushEvery"/>, empty or not. The first push after a (re)start activates the healer, which
/// resumes from its saved checkpoint; later pushes keep it active, and re-activate it on a surviving silo if its
/// silo goes away. A push that fails is merged into the next one. Only read silos push: the projections and the
/// healer live there, and a write silo has nothing to report (its calls would only keep a read silo's healer busy).
/// </summary>
public sealed partial class AppliedProgressPusher(
    IGrainFactory grains,
    AppliedProgress progress,
    IOptions<HealingOptions> options,
    LocalSiloRole role,
    ILogger<AppliedProgressPusher> logger) : PeriodicSiloWork
{
    protected override TimeSpan Every => options.Value.PushEvery;

    protected override bool IsNeeded => role.HostsReads && options.Value.Projections.Count > 0;

    protected override async Task RunOnceAsync()
    {
        var batch = progress.Take();
        try
        {
            await grains.GetGrain<IProjectionHealer>(0).Applied(batch);
        }
        catch (Exception) when (!IsStopping)
        {
            progress.Restore(batch);
            throw;
        }
    }

    // Once per outage, not every 250 ms: the healer's silo may be going away, and the next push finds it.
    protected override void OnFailed(Exception exception) => LogPushFailed(exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reporting applied projection versions to the healer failed; they go with the next push")]
    private partial void LogPushFailed(Exception exception);
}
