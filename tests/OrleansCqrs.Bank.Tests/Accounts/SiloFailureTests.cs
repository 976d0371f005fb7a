using System.Collections.Concurrent;
using Orleans.TestingHost;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Aggregates;
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

    // A longer grace than the default 2 s, so that events held in flight are healed after the stop, not before.
    public async ValueTask InitializeAsync() => _cluster = await ClusterFixture.DeployAsync(_name, healingGrace: TimeSpan.FromSeconds(4));

    public async ValueTask DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    private async Task<string[]> OpenAccountsAsync(string prefix)
    {
        var ids = Enumerable.Range(0, Accounts).Select(i => $"{prefix}-{i}-{Guid.NewGuid():N}").ToArray();
        foreach (var id in ids)
        {
            Assert.True((await _cluster.GrainFactory.GetGrain<IAccountGrain>(id).Execute(new OpenAccount("cust-f", "EUR"), CommandContext.New())).IsAccepted);
        }

        await SummaryAudit.AwaitMatchLogAsync(_cluster.GrainFactory, Store.Inner, ids, SummaryAudit.HealDeadline);
        return ids;
    }

    /// <summary>
    /// Accounts opened and live, and a silo other than the first whose agents delivered some of their events. Queues
    /// go to silos by a hash ring, so a secondary may pull none: then another silo joins.
    /// </summary>
    private async Task<(string[] Ids, SiloHandle Puller)> OpenWithAPullingSecondaryAsync()
    {
        for (var round = 0; ; round++)
        {
            var ids = await OpenAccountsAsync($"queued{round}");
            if (_cluster.SecondarySilos.FirstOrDefault(s => DeliveryHold.DeliveriesFrom(s.SiloAddress) > 0) is { } puller)
            {
                return (ids, puller);
            }

            Assert.True(round < 3, "No secondary silo pulls a stream queue.");
            await _cluster.StartAdditionalSiloAsync();
            await _cluster.WaitForLivenessToStabilizeAsync();
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
                var result = await Eventually.SucceedsAsync(() => _cluster.GrainFactory.GetGrain<IAccountGrain>(id).Execute(new DepositMoney(1m), context), TimeSpan.FromSeconds(45));
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
        var (ids, leaving) = await OpenWithAPullingSecondaryAsync();

        // The next event of every account: those pulled by the leaving silo's agents stay in flight there.
        DeliveryHold.Hold(leaving.SiloAddress);
        foreach (var id in ids)
        {
            Assert.True((await _cluster.GrainFactory.GetGrain<IAccountGrain>(id).Execute(new DepositMoney(3m), CommandContext.New())).IsAccepted);
        }

        await Eventually.ReturnsAsync(() => Task.FromResult(DeliveryHold.HeldOn(leaving.SiloAddress)), n => n > 0, TimeSpan.FromSeconds(5), "a deposit in flight on the silo that leaves");
        var stopping = _cluster.StopSiloAsync(leaving);
        DeliveryHold.LoseHeld(leaving.SiloAddress);
        await stopping;
        var stopped = DateTimeOffset.UtcNow;

        await SummaryAudit.AwaitMatchLogAsync(_cluster.GrainFactory, Store.Inner, ids, SummaryAudit.HealDeadline);
        await HealerAudit.AwaitHealAsync(_cluster.GrainFactory, h => h.At >= stopped && h.ReachedVersion == 2, "a summary healed to version 2 after the stop");
    }
}
