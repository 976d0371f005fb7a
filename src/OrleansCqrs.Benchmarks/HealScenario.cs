using OrleansCqrs.Framework.Projections;
using System.Diagnostics;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Accounts.Summary;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;

namespace OrleansCqrs.Benchmarks;

/// <summary>
/// Lost tails healed with nobody reading, under load. While deposits run at full load, a sampler commits deposits
/// whose publish is lost: appended to the store behind the aggregate of a quiet account, as a crash or a failed
/// publish leaves them (about 0.1% of all commits). Nobody reads those accounts and nothing else is written to them,
/// so only the healer can bring the event to their summaries; the time from commit until the summary has applied
/// it is what is measured. The summaries are live (activated before), and are watched with a status call that
/// never reads the store.
/// </summary>
public static class HealScenario
{
    private const int LostPerSecond = 20;
    private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(30);

    public static async Task<ThroughputResult> RunAsync(BenchSilo silo, string[] accounts, int callers, int run, TimeSpan warmUp, TimeSpan measured)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var quiet = await CommandScenario.OpenAccountsAsync(silo.Grains, (int)((warmUp + measured).TotalSeconds * LostPerSecond) + LostPerSecond, callers, $"heal-{run}-");
        await Parallel.ForEachAsync(quiet, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (id, _) =>
            await silo.Grains.GetGrain<IReadModelQueries>(0).Get<IAccountSummaryProjection, AccountSummary>(id, 1, TimeSpan.FromSeconds(10)));

        var background = CommandScenario.RunAsync(silo.Grains, accounts, callers, TimeSpan.Zero, warmUp + measured);
        var recorder = new LatencyRecorder();
        var measuring = false;
        var unhealed = 0;
        var watchers = new List<Task>();
        var clock = Stopwatch.StartNew();
        var measuredFrom = Stopwatch.StartNew();
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / LostPerSecond));
        foreach (var id in quiet)
        {
            if (clock.Elapsed >= warmUp + measured || !await tick.WaitForNextTickAsync())
            {
                break;
            }

            if (!measuring && clock.Elapsed >= warmUp)
            {
                measuring = true;
                measuredFrom.Restart();
            }

            var metadata = new EventMetadata(Guid.NewGuid(), DateTimeOffset.UtcNow);
            await silo.Store.AppendAsync(new AppendRequest(
                StreamNames.StoreStreamId(AccountGrain.StreamName, id), 1, [silo.Serializer.Serialize(new MoneyDeposited(1m), metadata)], metadata.CommandId));
            var committed = Stopwatch.GetTimestamp();
            var counted = measuring;
            watchers.Add(Task.Run(async () =>
            {
                var projection = silo.Grains.GetGrain<IAccountSummaryProjection>(id);
                while ((await projection.GetStatus()).Version < 2)
                {
                    if (Stopwatch.GetElapsedTime(committed) > GiveUp)
                    {
                        Interlocked.Increment(ref unhealed);
                        return;
                    }

                    await Task.Delay(20);
                }

                if (counted)
                {
                    lock (recorder)
                    {
                        recorder.Record(committed);
                    }
                }
            }));
        }

        var window = measuredFrom.Elapsed;
        await Task.WhenAll(watchers);
        await background;
        if (unhealed > 0)
        {
            throw new InvalidOperationException($"{unhealed} lost tails were not healed within {GiveUp.TotalSeconds} s.");
        }

        var latency = LatencyRecorder.Summarize([recorder]);
        return new ThroughputResult(latency.Count / window.TotalSeconds, latency);
    }
}
