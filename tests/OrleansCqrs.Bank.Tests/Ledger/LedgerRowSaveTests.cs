using Orleans.Core.Internal;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Ledger;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.Projections.Rows;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Bank.Tests.Ledger;

/// <summary>A ledger shard saves the accounts that changed, not all of them, and resumes from its rows exactly.</summary>
public sealed class LedgerRowSaveTests(ClusterFixture cluster)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    /// <summary>The shard-0 accounts with events in (<paramref name="after"/>, <paramref name="upTo"/>], and the shard recomputed up to <paramref name="upTo"/>.</summary>
    private static async Task<(HashSet<string> Touched, LedgerShardState Shard)> FromLogAsync(long after, long upTo)
    {
        var touched = new HashSet<string>(StringComparer.Ordinal);
        var shard = new LedgerShardState();
        for (long from = 0; from < upTo;)
        {
            var page = await ClusterFixture.Database.ReadAllAsync(from, 5000);
            foreach (var recorded in page.Where(r => r.Position <= upTo))
            {
                if (StreamNames.KeyOf(AccountGrain.StreamName, recorded.StreamId) is { } accountId && LedgerShards.Of(accountId) == 0)
                {
                    shard.When(accountId, ClusterFixture.Serializer.Deserialize(recorded).Event);
                    if (recorded.Position > after)
                    {
                        touched.Add(accountId);
                    }
                }
            }

            from = page.Count == 0 ? upTo : page[^1].Position;
        }

        return (touched, shard);
    }

    private static async Task<ProjectionSave> NextSaveAsync(string projectionId, int before) =>
        (await Eventually.ReturnsAsync(() => Task.FromResult(ClusterFixture.Rows.SavesOf(projectionId)), s => s.Count > before, Wait, $"save {before + 1} of {projectionId}"))[before];

    [Fact]
    public async Task A_save_writes_the_totals_and_only_the_accounts_that_changed_and_a_restart_resumes_from_them()
    {
        // Accounts of this test in shard 0, so the shard has rows that do not change later.
        var mine = new List<string>();
        while (mine.Count < 12)
        {
            var id = $"rows-{Guid.NewGuid():N}";
            if (LedgerShards.Of(id) == 0)
            {
                await cluster.Grains.GetGrain<IAccountGrain>(id).Execute(new OpenAccount("cust-rows", "EUR"), CommandContext.New());
                mine.Add(id);
            }
        }

        // A generation no other test uses: its only saves are the ones this test causes.
        var shard = cluster.Grains.GetGrain<ILedgerShard>(LedgerShards.Key(Random.Shared.Next(1_000, 20_000_000), 0));
        var projectionId = shard.GetGrainId().ToString();
        var head = await ClusterFixture.Database.GetHeadPositionAsync();
        Assert.False((await shard.GetTotals(head, Wait)).Stale);
        await shard.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        var first = await NextSaveAsync(projectionId, 0);

        var changed = mine[3];
        var deposited = await cluster.Grains.GetGrain<IAccountGrain>(changed).Execute(new DepositMoney(7m), CommandContext.New());
        Assert.False((await shard.GetTotals(deposited.Position, Wait)).Stale);
        await shard.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        var second = await NextSaveAsync(projectionId, 1);

        // The first save holds every account of the shard; the second only those with events since the first.
        var (everything, _) = await FromLogAsync(0, first.Position);
        var (touched, _) = await FromLogAsync(first.Position, second.Position);
        Assert.Equal(everything.Order(StringComparer.Ordinal), first.Upserts.Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.Contains(changed, touched);
        Assert.Equal(touched.Order(StringComparer.Ordinal), second.Upserts.Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.True(second.Upserts.Count < first.Upserts.Count, $"The second save wrote {second.Upserts.Count} rows of {first.Upserts.Count}.");
        Assert.Empty(second.Deletes);

        // Restarted from its rows: the same accounts and totals as the log up to its saved position (no event
        // applied twice, none skipped), and it reads on from there.
        var stored = await ClusterFixture.Rows.LoadAsync(projectionId);
        Assert.Equal(second.Position, stored!.Position);
        var top = await shard.GetTop(int.MaxValue, second.Position, Wait);
        var (_, atRead) = await FromLogAsync(0, top.Position);
        Assert.False(top.Stale);
        Assert.Equal(atRead.Rows.Values.OrderBy(a => a.AccountId, StringComparer.Ordinal), top.View!.OrderBy(a => a.AccountId, StringComparer.Ordinal));
        Assert.Equal(7m, top.View!.Single(a => a.AccountId == changed).Balance);
        var totals = await shard.GetTotals(top.Position, Wait);
        var (_, atTotals) = await FromLogAsync(0, totals.Position);
        Assert.Equal(atTotals.Totals.Accounts, totals.View!.Accounts);
        Assert.Equal(atTotals.Totals.Currencies.Values, totals.View.Currencies.Values);
    }
}
