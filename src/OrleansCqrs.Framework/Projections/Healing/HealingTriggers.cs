using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansCqrs.Framework.Projections.Healing;

/// <summary>
/// On every silo: heals once when the silo becomes active (events committed just before a crash of the previous
/// process), heals whenever another silo leaves the cluster, and samples the log head for the healing window.
/// </summary>
public sealed partial class HealingTriggers(
    IGrainFactory grains,
    IClusterMembershipService membership,
    IOptions<HealingOptions> options,
    ILogger<HealingTriggers> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;

    private IProjectionHealer Healer => grains.GetGrain<IProjectionHealer>(0);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(HealingTriggers), ServiceLifecycleStage.Active, OnActiveAsync, OnStopAsync);

    private Task OnActiveAsync(CancellationToken cancellationToken)
    {
        _running = Task.WhenAll(RunAsync(() => Healer.Heal("silo start")), SampleAsync(), WatchMembershipAsync());
        return Task.CompletedTask;
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _running.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(options.Value.SampleEvery);
        try
        {
            do
            {
                await RunAsync(Healer.Sample);
            }
            while (await timer.WaitForNextTickAsync(_stopping.Token));
        }
        catch (OperationCanceledException)
        {
            // The silo is stopping.
        }
    }

    private async Task WatchMembershipAsync()
    {
        var active = membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).ToHashSet();
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(_stopping.Token))
            {
                var nowActive = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).ToHashSet();
                var gone = active.Except(nowActive).ToList();
                active = nowActive;
                if (gone.Count > 0)
                {
                    await RunAsync(() => Healer.Heal($"silo {string.Join(", ", gone)} left"));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The silo is stopping.
        }
    }

    private async Task RunAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (!_stopping.IsCancellationRequested)
        {
            LogFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A healing step failed; the next trigger or sample tries again")]
    private partial void LogFailed(Exception exception);
}
