using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Accounts.Summary;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;

namespace OrleansCqrs.Bank.Tests.Healing;

/// <summary>
/// The embedded app restarted after a crash between commit and publish: the store holds events that no projection
/// ever saw, and a fresh cluster starts on it. Nobody reads, nothing is written: the healer alone must bring them in.
/// </summary>
public sealed class RestartHealingTests
{
    [Fact]
    public async Task Events_committed_before_a_restart_and_never_published_reach_the_summaries_with_nobody_reading()
    {
        var name = $"restart-{Guid.NewGuid():N}";
        var store = ClusterFixture.StoreOf(name).Inner;
        var ids = Enumerable.Range(0, 6).Select(i => $"crashed-{i}-{Guid.NewGuid():N}").ToArray();
        foreach (var id in ids)
        {
            var metadata = new EventMetadata(Guid.NewGuid(), DateTimeOffset.UtcNow);
            IDomainEvent[] events = [new AccountOpened("cust-r", "EUR"), new MoneyDeposited(40m), new MoneyWithdrawn(15m)];
            await store.AppendAsync(new AppendRequest(ClusterFixture.StreamOf(id), 0, [.. events.Select(e => ClusterFixture.Serializer.Serialize(e, metadata))], metadata.CommandId));
        }

        var cluster = await ClusterFixture.DeployAsync(name);
        try
        {
            await SummaryAudit.AwaitMatchLogAsync(cluster.GrainFactory, store, ids, SummaryAudit.HealDeadline);
            foreach (var id in ids)
            {
                var projection = cluster.GrainFactory.GetGrain<IAccountSummaryProjection>(id).GetGrainId();
                await HealerAudit.AwaitHealAsync(cluster.GrainFactory, h => h.Projection == projection && h.ReachedVersion == 3, $"{projection} healed to version 3");
            }
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }
}
