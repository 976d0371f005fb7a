namespace OrleansCqrs.Framework.Hosting;

/// <summary>
/// Work a silo does every <see cref="Every"/> from the moment it is active until it stops (a call that keeps a
/// cluster-wide grain running, say). A run that fails is reported once per outage, not at every tick: the grain's
/// silo may be going away, and a later run finds it elsewhere.
/// </summary>
public abstract class PeriodicSiloWork : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;
    private bool _failing;

    protected abstract TimeSpan Every { get; }

    /// <summary>Whether this silo needs the work at all (nothing to watch: the loop never starts).</summary>
    protected abstract bool IsNeeded { get; }

    protected bool IsStopping => _stopping.IsCancellationRequested;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(GetType().Name, ServiceLifecycleStage.Active, OnActiveAsync, OnStopAsync);

    public void Dispose()
    {
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>One run; an exception thrown while the silo is not stopping is reported through <see cref="OnFailed"/>.</summary>
    protected abstract Task RunOnceAsync();

    /// <summary>The first failure of an outage.</summary>
    protected abstract void OnFailed(Exception exception);

    private Task OnActiveAsync(CancellationToken cancellationToken)
    {
        if (IsNeeded)
        {
            _running = LoopAsync();
        }

        return Task.CompletedTask;
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _running.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(Every);
        try
        {
            do
            {
                try
                {
                    await RunOnceAsync();
                    _failing = false;
                }
                catch (Exception ex) when (!_stopping.IsCancellationRequested)
                {
                    if (!_failing)
                    {
                        OnFailed(ex);
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
}
