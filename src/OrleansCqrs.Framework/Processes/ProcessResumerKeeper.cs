using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansCqrs.Framework.Processes;

/// <summary>
/// On each silo, from the moment it is active: calls the <see cref="ProcessResumer"/> every
/// <see cref="ProcessOptions.KeepActiveEvery"/>. The first call after a (re)start activates it, which resumes from its
/// saved checkpoint; later calls re-activate it on a surviving silo if its silo goes away.
/// </summary>
public sealed partial class ProcessResumerKeeper(
    IGrainFactory grains,
    IOptions<ProcessOptions> options,
    ILogger<ProcessResumerKeeper> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;
    private bool _failing;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ProcessResumerKeeper), ServiceLifecycleStage.Active, OnActiveAsync, OnStopAsync);

    private Task OnActiveAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Processes.Count > 0)
        {
            _running = KeepActiveLoopAsync();
        }

        return Task.CompletedTask;
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _running.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task KeepActiveLoopAsync()
    {
        var resumer = grains.GetGrain<IProcessResumer>(0);
        using var timer = new PeriodicTimer(options.Value.KeepActiveEvery);
        try
        {
            do
            {
                try
                {
                    await resumer.KeepActive();
                    _failing = false;
                }
                catch (Exception ex) when (!_stopping.IsCancellationRequested)
                {
                    if (!_failing)
                    {
                        LogKeepActiveFailed(ex);
                        _failing = true;
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(_stopping.Token));
        }
        catch (OperationCanceledException)
        {
            // The silo is stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Calling the process resumer failed; the next call finds it on a silo that is up")]
    private partial void LogKeepActiveFailed(Exception exception);
}
