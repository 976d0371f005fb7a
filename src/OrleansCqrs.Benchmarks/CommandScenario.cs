using System.Diagnostics;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Benchmarks;

/// <summary>Durable deposits through the grain client: many callers over many accounts, each call acknowledged only after commit.</summary>
public static class CommandScenario
{
    public static async Task<string[]> OpenAccountsAsync(IGrainFactory grains, int count, int callers)
    {
        var ids = Enumerable.Range(0, count).Select(i => $"bench-{i:D6}").ToArray();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = callers }, async (id, _) =>
        {
            var result = await grains.GetGrain<IAccountGrain>(id).Open(new OpenAccount("bench", "EUR"), CommandContext.New());
            if (!result.IsAccepted && result.Rejection!.Code != "account-exists")
            {
                throw new InvalidOperationException(result.Rejection.Message);
            }
        });
        return ids;
    }

    public static async Task<ThroughputResult> RunAsync(IGrainFactory grains, string[] accounts, int callers, TimeSpan warmUp, TimeSpan measured)
    {
        var recorders = Enumerable.Range(0, callers).Select(_ => new LatencyRecorder()).ToArray();
        var measuring = false;
        using var stop = new CancellationTokenSource();
        var workers = recorders.Select((recorder, worker) => Task.Run(async () =>
        {
            var random = new Random(worker);
            var deposit = new DepositMoney(1.25m);
            while (!stop.IsCancellationRequested)
            {
                var account = grains.GetGrain<IAccountGrain>(accounts[random.Next(accounts.Length)]);
                var start = Stopwatch.GetTimestamp();
                var result = await account.Deposit(deposit, CommandContext.New());
                if (!result.IsAccepted)
                {
                    throw new InvalidOperationException(result.Rejection!.Message);
                }

                if (Volatile.Read(ref measuring))
                {
                    recorder.Record(start);
                }
            }
        })).ToArray();

        await Task.Delay(warmUp);
        Volatile.Write(ref measuring, true);
        var clock = Stopwatch.StartNew();
        await Task.Delay(measured);
        Volatile.Write(ref measuring, false);
        var elapsed = clock.Elapsed;
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        var latency = LatencyRecorder.Summarize(recorders);
        return new ThroughputResult(latency.Count / elapsed.TotalSeconds, latency);
    }
}

public sealed record ThroughputResult(double PerSecond, LatencySummary? Latency);
