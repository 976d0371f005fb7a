using Microsoft.Extensions.Logging;
using OrleansCqrs.Framework.Roles;

namespace OrleansCqrs.Bank.Ledger;

/// <summary>
/// Activates the serving generation's ledger shards when a silo starts, so they read the log's backlog before anyone
/// asks (a first reader would otherwise get a stale answer until they catch up); their keep-alive timer keeps them
/// active from then on. Each read silo does it: a shard has one activation in the cluster, so the others just find it.
/// A write silo does not: the shards are never its to host.
/// </summary>
public sealed partial class LedgerWarmUp(IGrainFactory grains, LocalSiloRole role, ILogger<LedgerWarmUp> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);
    private const int Attempts = 5;
    private readonly CancellationTokenSource _stopping = new();
    private Task _warming = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(LedgerWarmUp), ServiceLifecycleStage.Active, OnActiveAsync, OnStopAsync);

    public void Dispose() => _stopping.Dispose();

    private Task OnActiveAsync(CancellationToken cancellationToken)
    {
        // Not awaited: the silo's start does not wait for the ledger.
        if (role.HostsReads)
        {
            _warming = WarmUpAsync();
        }

        return Task.CompletedTask;
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _warming.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task WarmUpAsync()
    {
        for (var attempt = 1; attempt <= Attempts && !_stopping.IsCancellationRequested; attempt++)
        {
            try
            {
                var generation = await grains.GetGrain<ILedgerRegistry>(0).GetActiveGeneration();
                // Asking for the status activates a shard; it answers at once and reads its backlog behind.
                await Task.WhenAll(LedgerShards.All.Select(shard => grains.GetGrain<ILedgerShard>(LedgerShards.Key(generation, shard)).GetStatus()));
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogWarmUpFailed(ex, attempt);
                await Task.Delay(RetryAfter, _stopping.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Activating the ledger shards at silo start failed (attempt {Attempt}); the first reader will activate them")]
    private partial void LogWarmUpFailed(Exception exception, int attempt);
}
