using System.Diagnostics;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Telemetry;

namespace OrleansCqrs.Benchmarks;

/// <summary>Durable deposits through the grain client: many callers over many accounts, each call acknowledged only after commit.</summary>
public static class CommandScenario
{
    /// <summary>The benchmark's own spans, one per command sent (listened to only with telemetry on).</summary>
    public static readonly ActivitySource TelemetrySource = new("OrleansCqrs.Benchmarks");

    public static async Task<string[]> OpenAccountsAsync(IGrainFactory grains, int count, int callers, string prefix = "bench-")
    {
        var ids = Enumerable.Range(0, count).Select(i => $"{prefix}{i:D6}").ToArray();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = callers }, async (id, _) =>
        {
            var account = grains.GetGrain<IAccountGrain>(id);
            var result = await SetupCommand.SendAsync(context => account.Execute(new OpenAccount("bench", "EUR"), context));
            if (!result.IsAccepted && result.Rejection!.Code != "account-exists")
            {
                throw new InvalidOperationException(result.Rejection.Message);
            }
        });
        return ids;
    }

    public static Task<ThroughputResult> RunAsync(IGrainFactory grains, string[] accounts, int callers, TimeSpan warmUp, TimeSpan measured) =>
        ClosedLoad.RunAsync(callers, async worker =>
        {
            var random = new Random(worker.Index);
            var deposit = new DepositMoney(1.25m);
            while (worker.Running)
            {
                var account = grains.GetGrain<IAccountGrain>(accounts[random.Next(accounts.Length)]);
                await worker.TimeAsync(async () =>
                {
                    // What an HTTP request's span is to the front end: the root of the command's trace (null while
                    // telemetry is off).
                    using var span = TelemetrySource.StartActivity(CqrsTelemetry.CommandSpan, ActivityKind.Client);
                    var result = await account.Execute(deposit, CommandContext.New());
                    if (!result.IsAccepted)
                    {
                        throw new InvalidOperationException(result.Rejection!.Message);
                    }
                });
            }
        }, warmUp, measured);

    /// <summary>The same deposits started <paramref name="rate"/> a second whatever the answers (<see cref="OpenLoad"/>).</summary>
    public static Task<ThroughputResult> RunOpenAsync(IGrainFactory grains, string[] accounts, int rate, int run, TimeSpan warmUp, TimeSpan measured)
    {
        var deposit = new DepositMoney(1.25m);
        return OpenLoad.RunAsync(
            rate,
            async sequence =>
            {
                var account = grains.GetGrain<IAccountGrain>(accounts[new Random(HashCode.Combine(run, sequence)).Next(accounts.Length)]);
                var result = await account.Execute(deposit, CommandContext.New());
                if (!result.IsAccepted)
                {
                    throw new InvalidOperationException(result.Rejection!.Message);
                }
            },
            warmUp,
            measured,
            "deposits");
    }
}

public sealed record ThroughputResult(double PerSecond, LatencySummary? Latency);
