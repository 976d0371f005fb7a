using OrleansCqrs.Framework.Projections;
using OrleansCqrs.Bank.Accounts.Summary;

namespace OrleansCqrs.Benchmarks;

/// <summary>
/// Plain account-summary reads while 100 other readers keep waiting (10 s each, then again) for versions nobody will
/// ever write: waiting reads must not hold up the rest.
/// </summary>
public static class WaitingReadersScenario
{
    public static async Task MeasureAsync(string store, IReadOnlyDictionary<string, string?> settings, string dataRoot, BenchmarkOptions options, BenchmarkReport report, TimeSpan warmUp, TimeSpan measured)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(report);
        await using var silo = await BenchSilo.StartAsync(settings, dataRoot);
        var accounts = await CommandScenario.OpenAccountsAsync(silo.Grains, options.Accounts, options.Callers);
        for (var run = 1; run <= options.Runs; run++)
        {
            var plain = await RunAsync(silo.Grains, accounts, waiters: 100, readers: 16, warmUp, measured);
            Console.WriteLine($"[{store}] run {run}: {plain.PerSecond:N0} plain summary reads/s beside 100 waiting reads, p50 {plain.Latency!.P50Ms:0.00} ms, p99 {plain.Latency.P99Ms:0.00} ms");
            report.Add($"{store}.reads-beside-100-waits", run, plain);
        }
    }

    public static async Task<ThroughputResult> RunAsync(IGrainFactory grains, string[] accounts, int waiters, int readers, TimeSpan warmUp, TimeSpan measured)
    {
        using var stop = new CancellationTokenSource();
        var waiting = Enumerable.Range(0, waiters).Select(i => Task.Run(async () =>
        {
            var queries = grains.GetGrain<IReadModelQueries>(0);
            var random = new Random(5000 + i);
            while (!stop.IsCancellationRequested)
            {
                await queries.Get<IAccountSummaryProjection, AccountSummary>(accounts[random.Next(accounts.Length)], long.MaxValue, ReadModelQueries.MaxWait);
            }
        })).ToArray();

        var plain = await ReadScenario.QueriesAsync(grains, accounts, readers, warmUp, measured);
        await stop.CancelAsync();
        await Task.WhenAll(waiting);
        return plain;
    }
}
