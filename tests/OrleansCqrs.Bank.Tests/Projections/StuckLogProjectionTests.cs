using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Bank.Tests.Projections;

/// <summary>A log projection stuck on an event tries it again while it stays active, and never half-applies it.</summary>
public sealed class StuckLogProjectionTests(ClusterFixture cluster)
{
    [Fact]
    public async Task A_stuck_log_projection_retries_the_event_while_active_and_applies_it_once_it_succeeds()
    {
        var accountId = $"flaky-{Guid.NewGuid():N}";
        var stream = ClusterFixture.StreamOf(accountId);
        FlakyLogProjection.Failing[stream] = true;
        var account = cluster.Grains.GetGrain<IAccountGrain>(accountId);
        var opened = await account.Execute(new OpenAccount("cust-f", "EUR"), CommandContext.New());
        var deposited = await account.Execute(new DepositMoney(1m), CommandContext.New());
        var projection = cluster.Grains.GetGrain<IFlakyLogProjection>(stream);

        var stuck = await Eventually.ReturnsAsync(projection.GetStatus, s => s.IsStuck, TimeSpan.FromSeconds(10), "the projection to get stuck");
        var whileStuck = await projection.GetCounts(0, TimeSpan.Zero);
        FlakyLogProjection.Failing.TryRemove(stream, out _);

        // No reactivation: its keep-alive keeps it active, and nothing deactivates it.
        var read = await Eventually.ReturnsAsync(
            () => projection.GetCounts(deposited.Position, TimeSpan.FromSeconds(1)),
            r => !r.Stale,
            TimeSpan.FromSeconds(20),
            "the stuck projection to retry and catch up");

        Assert.Contains(stream, stuck.StuckError);
        Assert.True(whileStuck.Stale);
        Assert.True(whileStuck.Position < opened.Position, $"Stuck at {whileStuck.Position}, the failing event is at {opened.Position}.");
        Assert.Equal(whileStuck.Position, stuck.Position);
        Assert.Empty(whileStuck.View!); // the failed fold's changes were undone
        Assert.Equal(2, read.View![stream]);
    }
}
