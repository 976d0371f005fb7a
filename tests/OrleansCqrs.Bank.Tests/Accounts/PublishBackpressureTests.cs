using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Bank.Tests.Accounts;

/// <summary>
/// Publishing that cannot keep up. Runs alone: it forces the collection of idle activations, then checks that the
/// summary became active again and equal to the log with nobody reading it, which a concurrent forced collection
/// elsewhere would undo.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class PublishBackpressureTests(ClusterFixture cluster)
{
    [Fact]
    public async Task A_stream_that_cannot_keep_up_holds_a_bounded_number_of_events_and_the_rest_reaches_the_summary_through_the_log()
    {
        var id = $"acc-{Guid.NewGuid():N}";
        var account = cluster.Grains.GetGrain<IAccountGrain>(id);
        Assert.True((await account.Execute(new OpenAccount("cust-1", "EUR"), CommandContext.New())).IsAccepted);
        var gate = GatedEventPublisher.Hold(id);

        var results = new List<CommandResult>();
        for (var i = 0; i < 4 * ClusterFixture.MaxUnpublishedEvents; i++)
        {
            results.Add(await account.Execute(new DepositMoney(1m), CommandContext.New()).WaitAsync(TimeSpan.FromSeconds(10)));
        }

        Assert.All(results, r => Assert.True(r.IsAccepted));
        gate.Release();
        // Deactivation waits for everything the activation still had to publish: then the count is final.
        await cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.InRange(gate.Handed, 1, ClusterFixture.MaxUnpublishedEvents);
        Assert.Equal(80m, (await account.Get())!.Balance);
        // The events never handed to the stream reach the summary from the log, with nobody reading it.
        await SummaryAudit.AwaitMatchLogAsync(cluster.Grains, ClusterFixture.Database, [id], SummaryAudit.HealDeadline);
    }
}
