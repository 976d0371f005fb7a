using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansCqrs.Framework.Hosting;
using OrleansCqrs.Framework.Roles;

namespace OrleansCqrs.Framework.Processes;

/// <summary>
/// On each silo, from the moment it is active: calls the <see cref="ProcessResumer"/> every
/// <see cref="ProcessOptions.KeepActiveEvery"/>. The first call after a (re)start activates it, which resumes from its
/// saved checkpoint; later calls re-activate it on a surviving silo if its silo goes away. Only write silos call it:
/// the resumer lives on the write side with the processes it resumes, and is no use while no write silo is up.
/// </summary>
public sealed partial class ProcessResumerKeeper(
    IGrainFactory grains,
    IOptions<ProcessOptions> options,
    LocalSiloRole role,
    ILogger<ProcessResumerKeeper> logger) : PeriodicSiloWork
{
    protected override TimeSpan Every => options.Value.KeepActiveEvery;

    protected override bool IsNeeded => role.HostsWrites && options.Value.Processes.Count > 0;

    protected override Task RunOnceAsync() => grains.GetGrain<IProcessResumer>(0).KeepActive();

    protected override void OnFailed(Exception exception) => LogKeepActiveFailed(exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Calling the process resumer failed; the next call finds it on a silo that is up")]
    private partial void LogKeepActiveFailed(Exception exception);
}
