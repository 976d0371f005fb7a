using System.Diagnostics;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Customers;
using OrleansCqrs.Bank.Ledger;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Roles;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Bank.Tests.Roles;

/// <summary>
/// One side's silos all gone: the other side keeps serving, and a call that needs the missing side fails at once with
/// <see cref="SiloRoleUnavailableException"/> (the front end's 503) rather than waiting for a response timeout.
/// </summary>
public sealed class SiloRoleOutageTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    /// <summary>Well under the 30 s response timeout a call to nowhere would wait.</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task With_every_read_silo_down_commands_are_accepted_and_reads_resume_when_a_read_silo_returns()
    {
        await using var cluster = await RoleCluster.DeployAsync("write,read,read");
        var (id, opened) = await cluster.OpenWithDepositAsync($"cust-{Guid.NewGuid():N}", 10m);
        Assert.Equal(10m, (await RoleCluster.SummaryAsync(cluster.Grains, id, opened.Version)).View?.Balance);

        foreach (var read in cluster.Cluster.SecondarySilos.ToList())
        {
            await cluster.Cluster.StopSiloAsync(read);
        }

        // The client may still try a gateway that just left: a command is retried with its command id, as the front end does.
        var context = CommandContext.New();
        var deposited = await Eventually.SucceedsAsync(
            () => cluster.Grains.GetGrain<IAccountGrain>(id).Execute(new DepositMoney(5m), context), Settle);
        Assert.True(deposited.IsAccepted, deposited.Rejection?.Message);
        await AssertFailsPromptlyAsync(() => RoleCluster.SummaryAsync(cluster.Grains, id, 0), "read");

        await cluster.Cluster.StartAdditionalSiloAsync();
        var resumed = await Eventually.ReturnsAsync(
            () => Eventually.SucceedsAsync(() => RoleCluster.SummaryAsync(cluster.Grains, id, deposited.Version), Settle),
            read => !read.Stale,
            Settle,
            "the summary read from the read silo that returned");
        Assert.Equal(15m, resumed.View?.Balance);
    }

    [Fact]
    public async Task With_the_write_silo_down_reads_are_still_served_and_commands_fail_at_once()
    {
        await using var cluster = await RoleCluster.DeployAsync("read,write,read");
        var customer = $"cust-{Guid.NewGuid():N}";
        var (id, deposited) = await cluster.OpenWithDepositAsync(customer, 20m);
        Assert.False((await RoleCluster.SummaryAsync(cluster.Grains, id, deposited.Version)).Stale);
        Assert.False((await cluster.Grains.GetGrain<ICustomerQueries>(0).GetPortfolio(customer, deposited.Position, Settle)).Stale);

        await cluster.Cluster.StopSiloAsync(cluster.Cluster.SecondarySilos[0]);
        Assert.DoesNotContain(SiloRole.Write, cluster.Roles().Values);

        var summary = await Eventually.SucceedsAsync(() => RoleCluster.SummaryAsync(cluster.Grains, id, deposited.Version), Settle);
        Assert.Equal((20m, false), (summary.View?.Balance, summary.Stale));
        var portfolio = await Eventually.SucceedsAsync(() => cluster.Grains.GetGrain<ICustomerQueries>(0).GetPortfolio(customer, deposited.Position, Settle), Settle);
        Assert.Equal(20m, Assert.Single(portfolio.View!.Accounts).Balance);
        var totals = await Eventually.SucceedsAsync(() => cluster.Grains.GetGrain<IBankQueries>(0).GetTotals(deposited.Position, Settle), Settle);
        Assert.False(totals.Stale);
        await AssertFailsPromptlyAsync(() => cluster.Grains.GetGrain<IAccountGrain>(id).Execute(new DepositMoney(1m), CommandContext.New()), "write");
    }

    /// <summary>
    /// Once the cluster has seen the silos leave, the call fails with the role named, and quickly: measured on a call
    /// made after a first one has already failed that way, so the client's own view of its gateways has settled.
    /// </summary>
    private static async Task AssertFailsPromptlyAsync<T>(Func<Task<T>> call, string role)
    {
        await Eventually.ReturnsAsync(
            async () =>
            {
                try
                {
                    await call();
                    return "answered";
                }
                catch (Exception ex)
                {
                    return ex is SiloRoleUnavailableException ? null : ex.GetType().Name;
                }
            },
            failure => failure is null,
            Settle,
            $"a call needing a {role} silo to fail with SiloRoleUnavailableException");

        var started = Stopwatch.GetTimestamp();
        var refused = await Assert.ThrowsAsync<SiloRoleUnavailableException>(call);
        Assert.True(Stopwatch.GetElapsedTime(started) < Prompt, $"The refusal took {Stopwatch.GetElapsedTime(started).TotalSeconds:0.#} s.");
        Assert.Contains($"No {role} silo", refused.Message, StringComparison.Ordinal);
    }
}
