using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Bank.Tests.Healing;

/// <summary>The healer's catch-ups show in the <c>orleanscqrs.healer.catchups</c> metric (docs/telemetry.md).</summary>
public sealed class HealerMetricsTests(HealingCluster cluster) : IClassFixture<HealingCluster>
{
    [Fact]
    public async Task A_catch_up_the_healer_asks_for_is_counted_for_the_read_model()
    {
        using var catchUps = new InstrumentRecorder("orleanscqrs.healer.catchups");
        var id = $"acc-{Guid.NewGuid():N}";
        var account = cluster.Grains.GetGrain<IAccountGrain>(id);
        Assert.True((await account.Execute(new OpenAccount("cust-m", "EUR"), CommandContext.New())).IsAccepted);
        await SummaryAudit.AwaitMatchLogAsync(cluster.Grains, cluster.Log, [id], SummaryAudit.HealDeadline);
        PublishFaults.DropNext(id);

        Assert.True((await account.Execute(new DepositMoney(10m), CommandContext.New())).IsAccepted);
        await SummaryAudit.AwaitMatchLogAsync(cluster.Grains, cluster.Log, [id], SummaryAudit.HealDeadline);

        Assert.Contains(catchUps.Measurements, m => m.Value == 1 && Equals(m.Tags["read_model"], "accountsummaryprojection"));
    }
}
