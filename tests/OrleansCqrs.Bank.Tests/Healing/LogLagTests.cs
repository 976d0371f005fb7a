using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Bank.Tests.Healing;

/// <summary>The lag of a log reader is measured from the store: the events after its position, and the oldest one's age.</summary>
public sealed class LogLagTests(HealingCluster cluster) : IClassFixture<HealingCluster>
{
    [Fact]
    public async Task A_reader_behind_the_log_is_told_how_many_events_and_how_old_the_oldest_is()
    {
        var account = cluster.Grains.GetGrain<IAccountGrain>($"acc-{Guid.NewGuid():N}");
        var opened = await account.Execute(new OpenAccount("cust-lag", "EUR"), CommandContext.New());
        var before = await cluster.Log.GetHeadPositionAsync();
        await account.Execute(new DepositMoney(1m), CommandContext.New());
        await account.Execute(new DepositMoney(2m), CommandContext.New());
        var head = await cluster.Log.GetHeadPositionAsync();
        var probe = cluster.Grains.GetGrain<ILogLag>(0);

        var behind = await probe.Behind(before);
        var caughtUp = await probe.Behind(head);

        Assert.True(opened.IsAccepted);
        Assert.Equal((2, false, head), (behind.EventsBehind, behind.MoreBehind, behind.HeadPosition));
        Assert.True(behind.OldestUnapplied > TimeSpan.Zero, $"{behind}");
        Assert.Equal(new LogLag(head, 0, false, TimeSpan.Zero), caughtUp);
    }
}
