using System.Collections.Concurrent;
using Orleans.TestingHost;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Projections.Healing;
using OrleansCqrs.Hosting;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Bank.Tests.Accounts;

/// <summary>
/// A silo of a two-silo cluster (of its own, on a store of its own) stops while commands and their events are in
/// flight. Read models are checked against the log without any reader asking for a version and without waking a
/// projection (<see cref="SummaryAudit"/>).
/// </summary>
public sealed class SiloFailureTests : IAsyncLifetime
{
    private const int Accounts = 12;
    private const int DepositsPerAccount = 25;
    private readonly string _name = $"silo-failure-{Guid.NewGuid():N}";
    private TestCluster _cluster = null!;

    private RecordingEventStore Store => ClusterFixture.StoreOf(_name);

    // A longer grace than the default 2 s, so that events held in the queues are healed after the stop, not before.
    public async ValueTask InitializeAsync() => _cluster = await ClusterFixture.DeployAsync(_name, healingGrace: TimeSpan.FromSeconds(4));

    public async ValueTask DisposeAsync()
    {
        QueueHold.Release(_name);
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    private async Task<string[]> OpenAccountsAsync(string prefix)
    {
        var ids = Enumerable.Range(0, Accounts).Select(i => $"{prefix}-{i}-{Guid.NewGuid():N}").ToArray();
        foreach (var id in ids)
        {
            Assert.True((await _cluster.GrainFactory.GetGrain<IAccountGrain>(id).Open(new OpenAccount("cust-f", "EUR"), CommandContext.New())).IsAccepted);
        }

        await SummaryAudit.AwaitMatchLogAsync(_cluster.GrainFactory, Store.Inner, ids, SummaryAudit.HealDeadline);
        return ids;
    }

    /// <summary>
    /// A silo other than the first that hosts a stream queue grain. Queues go to silos by a hash ring, so a secondary
    /// may own none: then another silo joins. Queue grains are re-placed with the agents that poll them.
    /// </summary>
    private async Task<SiloHandle> SiloHostingAStreamQueueAsync()
    {
        for (var silos = 2; ; silos++)
        {
            try
            {
                var hosts = await Eventually.ReturnsAsync(
                    async () =>
                    {
                        QueueHold.Relocate(_name);
                        await Eventually.ReturnsAsync(() => Task.FromResult(QueueHold.RelocatedCount(_name)), n => n == SiloSetup.StreamQueues, TimeSpan.FromSeconds(5), "the queue grains to be re-placed");
                        return (await _cluster.GrainFactory.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics())
                            .Where(s => s.GrainType.Contains("MemoryStreamQueueGrain", StringComparison.Ordinal) && !s.SiloAddress.Equals(_cluster.Primary!.SiloAddress))
                            .Select(s => s.SiloAddress)
                            .ToList();
                    },
                    hosts => hosts.Count > 0,
                    TimeSpan.FromSeconds(8),
                    "a stream queue grain on a silo other than the first");
                return _cluster.SecondarySilos.First(s => s.SiloAddress.Equals(hosts[0]));
            }
            catch (TimeoutException) when (silos < 5)
            {
                await _cluster.StartAdditionalSiloAsync();
            }
        }
    }

    [Fact]
    public async Task After_a_silo_stops_mid_stream_no_acknowledged_deposit_is_lost_or_doubled_and_read_models_match_the_log()
    {
        var ids = await OpenAccountsAsync("failover");
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
            var events = await Store.Inner.ReadStreamAsync(ClusterFixture.StreamOf(id), 1, 1000);
            Assert.Equal(Enumerable.Range(1, DepositsPerAccount + 1).Select(v => (long)v), events.Select(e => e.Version));
            Assert.Equal(DepositsPerAccount + 1, acknowledged[id]);
        }

        await SummaryAudit.AwaitMatchLogAsync(_cluster.GrainFactory, Store.Inner, ids, SummaryAudit.HealDeadline);
    }

    [Fact]
    public async Task Events_queued_on_a_silo_that_stops_gracefully_are_healed_after_it_has_gone_with_nobody_reading()
    {
        var leaving = await SiloHostingAStreamQueueAsync();
        var ids = await OpenAccountsAsync("queued");

        // The last event of every account stays in the stream queues; those on the leaving silo go with it.
        QueueHold.Hold(_name);
        foreach (var id in ids)
        {
            Assert.True((await _cluster.GrainFactory.GetGrain<IAccountGrain>(id).Deposit(new DepositMoney(3m), CommandContext.New())).IsAccepted);
        }

        await Eventually.ReturnsAsync(() => Task.FromResult(QueueHold.QueuedOn(leaving.SiloAddress)), n => n > 0, TimeSpan.FromSeconds(5), "a deposit queued on the silo that leaves");
        await _cluster.StopSiloAsync(leaving);
        var stopped = DateTimeOffset.UtcNow;
        QueueHold.Release(_name);

        await SummaryAudit.AwaitMatchLogAsync(_cluster.GrainFactory, Store.Inner, ids, SummaryAudit.HealDeadline);
        var healer = await _cluster.GrainFactory.GetGrain<IProjectionHealer>(0).GetStatus();
        Assert.Contains(healer.RecentHeals, h => h.At >= stopped && h.ReachedVersion == 2);
    }
}
