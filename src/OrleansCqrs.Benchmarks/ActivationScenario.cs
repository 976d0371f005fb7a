using System.Diagnostics;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;

namespace OrleansCqrs.Benchmarks;

/// <summary>How long an account with a long history takes to activate: full replay, and from a snapshot.</summary>
public static class ActivationScenario
{
    public static async Task<ActivationResult> RunAsync(BenchSilo silo, int historyEvents, int repetitions)
    {
        var id = $"long-{Guid.NewGuid():N}";
        var account = silo.Grains.GetGrain<IAccountGrain>(id);
        await account.Execute(new OpenAccount("bench", "EUR"), CommandContext.New());
        await silo.DeactivateAllAsync();

        // Write the history straight to the store, as years of commands would have; no snapshot exists yet.
        var serializer = new EventSerializer(EventTypeRegistry.FromAssemblies(typeof(AccountOpened).Assembly));
        var version = 1L;
        while (version < historyEvents)
        {
            var count = (int)Math.Min(1000, historyEvents - version);
            var metadata = new EventMetadata(Guid.NewGuid(), DateTimeOffset.UtcNow);
            var events = Enumerable.Range(0, count).Select(_ => serializer.Serialize(new MoneyDeposited(1m), metadata)).ToList();
            await silo.Store.AppendAsync(new AppendRequest($"{AccountGrain.StreamName}-{id}", version, events, metadata.CommandId));
            version += count;
        }

        var clock = Stopwatch.StartNew();
        var replayed = await account.Get();
        var fullReplay = clock.Elapsed;
        if (replayed!.Version != historyEvents)
        {
            throw new InvalidOperationException($"Replayed {replayed.Version} events, expected {historyEvents}.");
        }

        // Deactivation writes the snapshot that is now due; every later activation starts from it.
        var fromSnapshot = new List<double>();
        for (var i = 0; i < repetitions; i++)
        {
            await silo.DeactivateAllAsync();
            clock.Restart();
            var view = await account.Get();
            fromSnapshot.Add(clock.Elapsed.TotalMilliseconds);
            if (view!.Version != historyEvents)
            {
                throw new InvalidOperationException($"Activated at version {view.Version}, expected {historyEvents}.");
            }
        }

        return new ActivationResult(historyEvents, fullReplay.TotalMilliseconds, Median(fromSnapshot));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}

public sealed record ActivationResult(int Events, double FullReplayMs, double FromSnapshotMedianMs);
