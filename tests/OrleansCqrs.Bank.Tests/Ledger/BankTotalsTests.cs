using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Ledger;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Events;

namespace OrleansCqrs.Bank.Tests.Ledger;

/// <summary>Bank totals from sharded projections of the global log, against a recomputation from the log.</summary>
public sealed class BankTotalsTests(ClusterFixture cluster)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private IBankQueries Queries => cluster.Grains.GetGrain<IBankQueries>(0);

    /// <summary>The totals of one currency as the whole event log implies them.</summary>
    private static async Task<CurrencyTotals> RecomputeAsync(string currency)
    {
        var ledger = new LedgerShardState();
        for (long after = 0; ;)
        {
            var page = await ClusterFixture.Database.ReadAllAsync(after, 5000);
            if (page.Count == 0)
            {
                return ledger.Totals.Currencies[currency];
            }

            foreach (var recorded in page)
            {
                if (StreamNames.KeyOf(AccountGrain.StreamName, recorded.StreamId) is { } accountId)
                {
                    ledger.When(accountId, ClusterFixture.Serializer.Deserialize(recorded).Event);
                }
            }

            after = page[^1].Position;
        }
    }

    [Fact]
    public async Task Totals_read_at_a_position_count_every_event_up_to_it_exactly_once()
    {
        // A currency no other test uses, so its totals are this test's alone.
        const string currency = "MNT";
        var random = new Random(7);
        long lastPosition = 0;
        for (var a = 0; a < 8; a++)
        {
            var account = cluster.Grains.GetGrain<IAccountGrain>($"totals-{a}-{Guid.NewGuid():N}");
            await account.Execute(new OpenAccount("cust-t", currency), CommandContext.New());
            for (var i = 0; i < 6; i++)
            {
                var amount = random.Next(1, 10_000) / 100m;
                var result = await account.Execute(new DepositMoney(amount), CommandContext.New());
                if (i % 3 == 2)
                {
                    result = await account.Execute(new WithdrawMoney(decimal.Round(amount / 2, 2)), CommandContext.New());
                }

                Assert.True(result.IsAccepted, result.Rejection?.Message);
                lastPosition = Math.Max(lastPosition, result.Position);
            }
        }

        var read = await Queries.GetTotals(lastPosition, Wait);

        Assert.False(read.Stale);
        Assert.True(read.Position >= lastPosition);
        Assert.Equal(await RecomputeAsync(currency), read.View!.Currencies[currency]);
        Assert.Equal(48, read.View.Currencies[currency].Deposits);
        Assert.Equal(16, read.View.Currencies[currency].Withdrawals);
    }

    [Fact]
    public async Task Shards_resume_from_their_saved_state_and_position_after_deactivation()
    {
        var account = cluster.Grains.GetGrain<IAccountGrain>($"totals-resume-{Guid.NewGuid():N}");
        await account.Execute(new OpenAccount("cust-t", "TOP"), CommandContext.New());
        var deposited = await account.Execute(new DepositMoney(12.5m), CommandContext.New());
        await Queries.GetTotals(deposited.Position, Wait);

        await cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var withdrawn = await account.Execute(new WithdrawMoney(2.5m), CommandContext.New());
        var read = await Queries.GetTotals(withdrawn.Position, Wait);

        Assert.False(read.Stale);
        Assert.Equal(await RecomputeAsync("TOP"), read.View!.Currencies["TOP"]);
        Assert.Equal(10m, read.View.Currencies["TOP"].Balance);
    }

    [Fact]
    public async Task A_position_beyond_the_log_is_answered_stale_after_the_wait()
    {
        var read = await Queries.GetTotals(long.MaxValue / 2, TimeSpan.FromMilliseconds(200));

        Assert.True(read.Stale);
        Assert.True(read.Position < long.MaxValue / 2);
    }

    [Fact]
    public void Every_account_belongs_to_one_shard_in_range_and_the_spread_is_even()
    {
        var counts = new int[LedgerShards.Count];
        for (var i = 0; i < 10_000; i++)
        {
            counts[LedgerShards.Of($"acc-{i}")]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 2000, 3000));
        Assert.Equal(LedgerShards.Of("acc-42"), LedgerShards.Of("acc-42"));
    }
}
