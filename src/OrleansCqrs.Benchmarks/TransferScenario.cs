using System.Globalization;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Transfers;
using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Benchmarks;

/// <summary>
/// Transfers end to end through the grain client, each timed from its request to the answer of
/// <see cref="ITransferGrain.Get"/> saying it completed (every transfer is four appends: requested, debit, credit,
/// outcome). Closed loop: as many as the callers can complete. Open loop: requests started on a fixed schedule
/// whatever the answers, each timed from when it was due, so a stall counts against every request it delays.
/// </summary>
public static class TransferScenario
{
    /// <summary>Enough money on every account that no transfer of the run is refused for want of it.</summary>
    private const decimal Funding = 100_000_000m;

    public static async Task MeasureAsync(
        string store, IReadOnlyDictionary<string, string?> settings, string dataRoot, BenchmarkOptions options, BenchmarkReport report, TimeSpan warmUp, TimeSpan measured)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(report);
        await using var silo = await BenchSilo.StartAsync(settings, dataRoot);
        Console.WriteLine($"[{store}] opening and funding {options.Accounts:N0} accounts for transfers...");
        var accounts = await CommandScenario.OpenAccountsAsync(silo.Grains, options.Accounts, options.Callers, "transfer-");
        await Parallel.ForEachAsync(accounts, new ParallelOptions { MaxDegreeOfParallelism = options.Callers }, async (id, _) =>
        {
            var account = silo.Grains.GetGrain<IAccountGrain>(id);
            Accepted(await SetupCommand.SendAsync(context => account.Execute(new DepositMoney(Funding), context)));
        });

        var c = CultureInfo.InvariantCulture;
        for (var run = 1; run <= options.Runs; run++)
        {
            var closed = await ClosedLoad.RunAsync(options.Callers, async worker =>
            {
                var random = new Random(worker.Index + (run * 1000));
                while (worker.Running)
                {
                    var (from, to) = Pair(random, accounts);
                    await worker.TimeAsync(() => TransferAsync(silo.Grains, from, to));
                }
            }, warmUp, measured);
            Console.WriteLine(string.Create(c, $"[{store}] run {run}: {closed.PerSecond:N0} transfers/s completed ({options.Callers} callers), p50 {closed.Latency!.P50Ms:0.0} ms, p99 {closed.Latency.P99Ms:0.0} ms"));
            report.Add($"{store}.transfers-closed", run, closed);
            // The same callers depositing into the same accounts, right after: what one command costs on this machine
            // now (a shared machine drifts), the yardstick for a transfer's four appends.
            var commands = await CommandScenario.RunAsync(silo.Grains, accounts, options.Callers, warmUp, measured);
            Console.WriteLine(string.Create(c, $"[{store}] run {run}: deposits beside it {commands.PerSecond:N0} commands/s; transfers ÷ commands {closed.PerSecond / commands.PerSecond:0.000}"));
            report.Add($"{store}.transfers-beside-commands", run, commands);
            report.AddRatio($"{store}.transfers-to-commands", run, closed.PerSecond / commands.PerSecond);

            var open = await OpenLoopAsync(silo.Grains, accounts, options.TransferRate, run, warmUp, measured);
            Console.WriteLine(string.Create(c, $"[{store}] run {run}: {options.TransferRate:N0} transfers/s offered: {open.PerSecond:N0}/s completed, p50 {open.Latency!.P50Ms:0.0} ms, p99 {open.Latency.P99Ms:0.0} ms, max {open.Latency.MaxMs:0} ms"));
            report.Add($"{store}.transfers-open-{options.TransferRate}", run, open);
        }
    }

    private static (string From, string To) Pair(Random random, string[] accounts)
    {
        var from = random.Next(accounts.Length);
        var to = (from + 1 + random.Next(accounts.Length - 1)) % accounts.Length;
        return (accounts[from], accounts[to]);
    }

    private static async Task TransferAsync(IGrainFactory grains, string from, string to)
    {
        var transfer = grains.GetGrain<ITransferGrain>($"bench-{Guid.NewGuid():N}");
        Accepted(await transfer.Execute(new RequestTransfer(from, to, 1m, "EUR", null), CommandContext.New()));
        // An overloaded run leaves transfers pending past one wait: they are waited for again (and their latency counts).
        for (var wait = 0; ; wait++)
        {
            var view = await transfer.Get(TransferGrain.MaxWait);
            if (view?.Status == TransferView.Completed)
            {
                return;
            }

            if (view?.Status != TransferView.Pending || wait == 5)
            {
                throw new InvalidOperationException($"A transfer did not complete: {view}");
            }
        }
    }

    private static void Accepted(CommandResult result)
    {
        if (!result.IsAccepted)
        {
            throw new InvalidOperationException(result.Rejection!.Message);
        }
    }

    private static Task<ThroughputResult> OpenLoopAsync(IGrainFactory grains, string[] accounts, int rate, int run, TimeSpan warmUp, TimeSpan measured)
    {
        return OpenLoad.RunAsync(
            rate,
            sequence =>
            {
                var (from, to) = Pair(new Random(HashCode.Combine(run, sequence)), accounts);
                return TransferAsync(grains, from, to);
            },
            warmUp,
            measured,
            "transfers");
    }
}
