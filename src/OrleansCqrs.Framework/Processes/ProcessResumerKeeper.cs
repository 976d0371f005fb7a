using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansCqrs.Framework.Hosting;

namespace OrleansCqrs.Framework.Processes;

/// <summary>
/// On each silo, from the moment it is active: calls the <see cref="ProcessResumer"/> every
/// <see cref="ProcessOptions.KeepActiveEvery"/>. The first call after a (re)start activates it, which resumes from its
/// saved checkpoint; later calls re-activate it on a surviving silo if its silo goes away.
/// </summary>
public sealed partial class ProcessResumerKeeper(
    IGrainFactory grains,
    IOptions<ProcessOptions> options,
    ILogger<ProcessResumerKeeper> logger) : PeriodicSiloWork
{
    protected override TimeSpan Every => options.Value.KeepActiveEvery;

    protected override bool IsNeeded => options.Value.Processes.Count > 0;

    protected override Task RunOnceAsync() => grains.GetGrain<IProcessResumer>(0).KeepActive();

    protected override void OnFailed(Exception exception) => LogKeepActiveFailed(exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Calling the process resumer failed; the next call finds it on a silo that is up")]
    private partial void LogKeepActiveFailed(Exception exception);
}
