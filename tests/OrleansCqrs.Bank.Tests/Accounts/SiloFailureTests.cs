using System.Collections.Concurrent;
using Orleans.TestingHost;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Accounts.Summary;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Bank.Tests.Accounts;

/// <summary>A silo of a two-silo cluster stops while commands and their events are in flight.</summary>
public sealed class SiloFailureTests : IAsyncLifetime
{
    private const int Accounts = 12;
    private const int DepositsPerAccount = 25;
    private TestCluster _cluster = null!;

    public async ValueTask InitializeAsync() => _cluster = await ClusterFixture.DeployAsync();

    public async ValueTask DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task After_a_silo_stops_mid_stream_no_acknowledged_deposit_is_lost_or_doubled_and_read_models_match_the_log()
    {
        var ids = Enumerable.Range(0, Accounts).Select(i => $"failover-{i}-{Guid.NewGuid():N}").ToArray();
        foreach (var id in ids)
        {
            Assert.True((await _cluster.GrainFactory.GetGrain<IAccountGrain>(id).Open(new OpenAccount("cust-f", "EUR"), CommandContext.New())).IsAccepted);
        }

        var acknowledged = new ConcurrentDictionary<string, long>();
        var deposits = 0;
        var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var load = ids.Select(id => Task.Run(async () =>
        {
            for (var i = 0; i < DepositsPerAccount; i++)
            {
                // A retry after a failure reuses the command id: applied at most once whatever happened.
                var context = CommandContext.New();
                var result = await Eventually.SucceedsAsync(() => _cluster.GrainFactory.GetGrain<IAccountGrain>(id).Deposit(new DepositMoney(1m), context), TimeSpan.FromSeconds(45));
                Assert.True(result.IsAccepted, result.Rejection?.Message);
                acknowledged.AddOrUpdate(id, result.Version, (_, v) => Math.Max(v, result.Version));
                if (Interlocked.Increment(ref deposits) == Accounts * DepositsPerAccount / 2)
                {
                    halfway.SetResult();
                }
            }
        })).ToArray();

        await halfway.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await _cluster.StopSiloAsync(_cluster.SecondarySilos[0]);
        await Task.WhenAll(load).WaitAsync(TimeSpan.FromSeconds(60));

        foreach (var id in ids)
        {
            var events = await ClusterFixture.Database.ReadStreamAsync(ClusterFixture.StreamOf(id), 1, 1000);
            Assert.Equal(Enumerable.Range(1, DepositsPerAccount + 1).Select(v => (long)v), events.Select(e => e.Version));
            Assert.Equal(DepositsPerAccount + 1, acknowledged[id]);

            // Without anyone asking for a version: the stream, gap filling and the healer bring it there.
            await Eventually.ReturnsAsync(
                () => _cluster.GrainFactory.GetGrain<IAccountSummaryProjection>(id).GetStatus(),
                s => s.Version == acknowledged[id],
                TimeSpan.FromSeconds(5),
                $"the summary of {id} to reach version {acknowledged[id]}");
            var read = await _cluster.GrainFactory.GetGrain<IAccountQueries>(0).GetSummary(id, acknowledged[id], TimeSpan.FromSeconds(10));
            Assert.False(read.Stale, $"The summary of {id} stayed at {read.Version}.");
            Assert.Equal(DepositsPerAccount, read.View!.Balance);
        }
    }
}
