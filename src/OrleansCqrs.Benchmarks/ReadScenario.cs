using OrleansCqrs.Framework.Projections;
using System.Diagnostics;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Accounts.Summary;
using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Benchmarks;

/// <summary>The read side under load: queries per second, and how soon a caller reads its own write.</summary>
public static class ReadScenario
{
    /// <summary>Account-summary queries through the stateless query grain, closed loop.</summary>
    public static Task<ThroughputResult> QueriesAsync(IGrainFactory grains, string[] accounts, int callers, TimeSpan warmUp, TimeSpan measured) =>
        ClosedLoad.RunAsync(callers, async worker =>
        {
            var random = new Random(worker.Index);
            var queries = grains.GetGrain<IReadModelQueries>(0);
            while (worker.Running)
            {
                var id = accounts[random.Next(accounts.Length)];
                await worker.TimeAsync(async () =>
                {
                    var read = await queries.Get<IAccountSummaryProjection, AccountSummary>(id, 0, TimeSpan.Zero);
                    if (read.View is null)
                    {
                        throw new InvalidOperationException($"No summary for {id}.");
                    }
                });
            }
        }, warmUp, measured);

    /// <summary>
    /// While deposits run at full load, samplers deposit and then read the summary at the version the deposit
    /// returned: the time from the acknowledgement to the answer is what read-your-writes costs a caller.
    /// </summary>
    public static async Task<ThroughputResult> ReadYourWritesAsync(IGrainFactory grains, string[] accounts, int callers, TimeSpan warmUp, TimeSpan measured)
    {
        var background = CommandScenario.RunAsync(grains, accounts, callers, TimeSpan.Zero, warmUp + measured);
        var lag = await ClosedLoad.RunAsync(8, async worker =>
        {
            var random = new Random(1000 + worker.Index);
            while (worker.Running)
            {
                var id = accounts[random.Next(accounts.Length)];
                var result = await grains.GetGrain<IAccountGrain>(id).Execute(new DepositMoney(0.01m), CommandContext.New());
                var acknowledged = Stopwatch.GetTimestamp();
                await worker.TimeFromAsync(acknowledged, async () =>
                {
                    var read = await grains.GetGrain<IReadModelQueries>(0).Get<IAccountSummaryProjection, AccountSummary>(id, result.Version, TimeSpan.FromSeconds(5));
                    if (read.Stale)
                    {
                        throw new InvalidOperationException($"{id} did not reach version {result.Version} in 5 s.");
                    }
                });
            }
        }, warmUp, measured);
        await background;
        return lag;
    }
}
