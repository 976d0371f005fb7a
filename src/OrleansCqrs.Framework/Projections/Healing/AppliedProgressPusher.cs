using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansCqrs.Framework.Projections.Healing;

/// <summary>
/// On each silo, from the moment it is active: sends the healer what this silo's projections applied, every
/// <see cref="HealingOptions.PushEvery"/>, empty or not. The first push after a (re)start activates the healer, which
/// resumes from its saved checkpoint; later pushes keep it active, and re-activate it on a surviving silo if its
/// silo goes away. A push that fails is merged into the next one.
/// </summary>
public sealed partial class AppliedProgressPusher(
    IGrainFactory grains,
    AppliedProgress progress,
    IOptions<HealingOptions> options,
    ILogger<AppliedProgressPusher> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;
    private bool _failing;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(AppliedProgressPusher), ServiceLifecycleStage.Active, OnActiveAsync, OnStopAsync);

    private Task OnActiveAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Projections.Count > 0)
        {
            _running = PushLoopAsync();
        }

        return Task.CompletedTask;
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _running.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task PushLoopAsync()
    {
        var healer = grains.GetGrain<IProjectionHealer>(0);
        using var timer = new PeriodicTimer(options.Value.PushEvery);
        try
        {
            do
            {
                await PushAsync(healer);
            }
            while (await timer.WaitForNextTickAsync(_stopping.Token));
        }
        catch (OperationCanceledException)
        {
            // The silo is stopping.
        }
    }

    private async Task PushAsync(IProjectionHealer healer)
    {
        var batch = progress.Take();
        try
        {
            await healer.Applied(batch);
            _failing = false;
        }
        catch (Exception ex) when (!_stopping.IsCancellationRequested)
        {
            progress.Restore(batch);
            if (!_failing)
            {
                // Once per outage, not every 250 ms: the healer's silo may be going away, and the next push finds it.
                LogPushFailed(ex);
                _failing = true;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reporting applied projection versions to the healer failed; they go with the next push")]
    private partial void LogPushFailed(Exception exception);
}
