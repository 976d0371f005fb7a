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

/// <summary>A rebuild of every account summary from its own stream (the log the earlier scenarios wrote).</summary>
public static class SummaryRebuildScenario
{
    public static async Task<RebuildResult> RunAsync(IGrainFactory grains, long events)
    {
        var job = grains.GetGrain<OrleansCqrs.Bank.Accounts.Summary.IAccountSummaryRebuild>(0);
        var clock = Stopwatch.StartNew();
        await job.Start();
        var deadline = DateTime.UtcNow.AddMinutes(10);
        OrleansCqrs.Bank.Accounts.Summary.SummaryRebuildProgress progress;
        do
        {
            await Task.Delay(50);
            progress = await job.GetProgress();
        }
        while (progress.Running && DateTime.UtcNow < deadline);

        if (progress.Running || progress.Failed > 0)
        {
            throw new InvalidOperationException($"The summary rebuild did not finish cleanly: {progress}");
        }

        var elapsed = clock.Elapsed;
        return new RebuildResult(events, elapsed.TotalSeconds, events / elapsed.TotalSeconds);
    }
}

public sealed record RebuildResult(long Events, double Seconds, double EventsPerSecond);
