using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Storage;
using OrleansCqrs.Hosting;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>
/// The actor framework's own limit: an in-process silo whose <see cref="InMemoryAccountGrain"/>s keep their state in
/// Orleans' memory grain storage and publish each deposit on an Orleans memory stream to one projection per account
/// (<see cref="BalanceProjectionGrain"/>), as OrleansCqrs' aggregates publish to theirs. Nothing is durable: what it
/// reaches is what OrleansCqrs would reach if storage cost nothing.
/// </summary>
public sealed class InMemoryOrleansTarget : ICommandTarget
{
    public const string GrainStorage = "in-memory-accounts";

    public const string StreamProvider = "in-memory-events";

    private readonly BaselineSilo _silo;

    private InMemoryOrleansTarget(BaselineSilo silo) => _silo = silo;

    public string Name => "orleans-in-memory";

    /// <summary>Always 0: one silo, and each account grain runs one command at a time, so no write ever meets a stale ETag.</summary>
    public long Conflicts => 0;

    /// <summary>Publishes that found their queue full and waited (<see cref="PublishBackPressure"/>).</summary>
    public long PublishWaits => _silo.Services.GetRequiredService<PublishBackPressure>().Waits;

    private IGrainFactory Grains => _silo.Grains;

    public static async Task<InMemoryOrleansTarget> StartAsync() => new(await BaselineSilo.StartAsync(
        "orleans-in-memory",
        silo => silo
            .AddMemoryGrainStorage(GrainStorage)
            // The streams exactly as OrleansCqrs configures its own, so that only the storage differs.
            .AddMemoryStreams(StreamProvider, SiloSetup.ConfigureEventStreams),
        host =>
        {
            // Orleans' memory stream adapter logs each enqueue a full queue refused as an error, under this generic
            // category; the grain waits and retries those (counted in PublishWaits), thousands a run under load.
            host.Logging.AddFilter("Microsoft.Extensions.Logging.ILogger", LogLevel.None);
            host.Services.AddSingleton<PublishBackPressure>();
        }));

    public Task OpenAccountsAsync(IReadOnlyList<string> accountIds, int parallelism) =>
        _silo.OpenAccountsAsync(accountIds, parallelism, (grains, id) => grains.GetGrain<IInMemoryAccountGrain>(id).Open());

    public async Task DepositAsync(string accountId, decimal amount)
    {
        if (await Grains.GetGrain<IInMemoryAccountGrain>(accountId).Deposit(amount) is { } problem)
        {
            throw new InvalidOperationException($"{Name}: the deposit into {accountId} was refused: {problem}");
        }
    }

    /// <summary>
    /// Read from the memory grain storage itself, not from the grains: a deposit applied to a grain's state but not
    /// written would be missing.
    /// </summary>
    public Task<decimal> TotalBalanceAsync(IReadOnlyList<string> accountIds)
    {
        var storage = _silo.Services.GetRequiredKeyedService<IGrainStorage>(GrainStorage);
        return SumAsync(accountIds, async id =>
        {
            var stored = new GrainState<BaselineAccount>();
            await storage.ReadStateAsync(InMemoryAccountGrain.StateName, Grains.GetGrain<IInMemoryAccountGrain>(id).GetGrainId(), stored);
            return stored.RecordExists ? stored.State!.Balance : 0;
        });
    }

    /// <summary>
    /// The balances the projections folded from the streams, once they equal the accounts' own: proves the consumer
    /// got every deposit (a smoke run checks it after the load); throws when they do not within <paramref name="timeout"/>.
    /// </summary>
    public async Task<decimal> AwaitProjectionsAsync(IReadOnlyList<string> accountIds, TimeSpan timeout)
    {
        var stored = await TotalBalanceAsync(accountIds);
        return await Eventually.ReturnsAsync(
            () => SumAsync(accountIds, id => Grains.GetGrain<IBalanceProjectionGrain>(id).GetBalance()),
            projected => projected == stored,
            timeout,
            $"{Name}: the projections to fold the accounts' total balance {stored}");
    }

    private static async Task<decimal> SumAsync(IReadOnlyList<string> accountIds, Func<string, Task<decimal>> balance)
    {
        var balances = new decimal[accountIds.Count];
        await Parallel.ForAsync(
            0,
            accountIds.Count,
            new ParallelOptions { MaxDegreeOfParallelism = 64 },
            async (i, _) => balances[i] = await balance(accountIds[i]));
        return balances.Sum();
    }

    public ValueTask DisposeAsync() => _silo.DisposeAsync();
}
