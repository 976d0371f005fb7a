using System.Diagnostics;
using OrleansCqrs.Bank.Ledger;

namespace OrleansCqrs.Benchmarks;

/// <summary>How fast a read model is rebuilt from the whole log: a blue/green rebuild of the ledger, start to switch.</summary>
public static class RebuildScenario
{
    public static async Task<RebuildResult> RunAsync(IGrainFactory grains)
    {
        var registry = grains.GetGrain<ILedgerRegistry>(0);
        var clock = Stopwatch.StartNew();
        var started = await registry.StartRebuild();
        var deadline = DateTime.UtcNow.AddMinutes(10);
        RebuildProgress progress;
        do
        {
            await Task.Delay(50);
            progress = await registry.GetProgress();
        }
        while (progress.InProgress && DateTime.UtcNow < deadline);

        if (progress.InProgress)
        {
            throw new TimeoutException($"The rebuild did not finish in 10 minutes: {progress}");
        }

        var elapsed = clock.Elapsed;
        return new RebuildResult(started.TargetPosition, elapsed.TotalSeconds, started.TargetPosition / elapsed.TotalSeconds);
    }
}

public sealed record RebuildResult(long Events, double Seconds, double EventsPerSecond);
