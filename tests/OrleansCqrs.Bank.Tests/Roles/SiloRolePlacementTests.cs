using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Accounts.Statement;
using OrleansCqrs.Bank.Accounts.Summary;
using OrleansCqrs.Bank.Customers;
using OrleansCqrs.Bank.Ledger;
using OrleansCqrs.Bank.Transfers;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Live;
using OrleansCqrs.Framework.Processes;
using OrleansCqrs.Framework.Projections;
using OrleansCqrs.Framework.Projections.Healing;
using OrleansCqrs.Framework.Roles;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Bank.Tests.Roles;

/// <summary>
/// One write silo (the primary) and two read silos: every grain lives on a silo of its side, the query grains
/// included when the call enters through the write silo (stateless workers would otherwise activate right there).
/// </summary>
public sealed class SiloRolePlacementTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private RoleCluster _cluster = null!;

    public async ValueTask InitializeAsync() => _cluster = await RoleCluster.DeployAsync("write,read,read");

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Read_grains_never_activate_on_a_write_silo_and_write_grains_never_on_a_read_silo()
    {
        var customer = $"cust-{Guid.NewGuid():N}";
        var (from, _) = await _cluster.OpenWithDepositAsync(customer, 100m);
        var (to, _) = await _cluster.OpenWithDepositAsync(customer, 5m);
        var transfer = _cluster.Grains.GetGrain<ITransferGrain>($"tr-{Guid.NewGuid():N}");
        var requested = await transfer.Execute(new RequestTransfer(from, to, 30m, "EUR", null), CommandContext.New());
        Assert.True(requested.IsAccepted, requested.Rejection?.Message);
        Assert.Equal(TransferView.Completed, (await transfer.Get(Wait))?.Status);
        var last = await _cluster.Grains.GetGrain<IAccountGrain>(to).Execute(new DepositMoney(1m), CommandContext.New());

        // Every read enters through the write silo, which places the grains it calls as a gateway does.
        var write = _cluster.Cluster.Primary!;
        var grains = RoleCluster.GrainsOn(write);
        var summary = await RoleCluster.SummaryAsync(grains, to, last.Version);
        Assert.Equal((36m, false), (summary.View?.Balance, summary.Stale));
        var portfolio = await grains.GetGrain<ICustomerQueries>(0).GetPortfolio(customer, last.Position, Wait);
        Assert.Equal(2, portfolio.View?.Accounts.Length);
        Assert.False((await grains.GetGrain<IBankQueries>(0).GetTotals(last.Position, Wait)).Stale);
        Assert.NotEmpty((await grains.GetGrain<IAccountStatementProjection>(to).GetPage(null, 10)).Entries);
        Assert.True(await grains.GetGrain<ILogTail>(0).Head() >= last.Position);

        var roles = _cluster.Roles();
        Assert.Equal([SiloRole.Write, SiloRole.Read, SiloRole.Read], roles.Values.Order());
        var activations = await Eventually.ReturnsAsync(
            () => Task.FromResult(_cluster.Activations()),
            seen => Expected.All(type => seen.Any(a => a.Grain == type)),
            Wait,
            "an activation of every grain class the workload uses (the healer and the resumer are called by their keepers)",
            seen => string.Join(", ", Expected.Where(type => seen.All(a => a.Grain != type)).Select(t => t.Name)) + " missing");

        var misplaced = activations
            .Where(a => !roles[a.Silo].Hosts(RoleCluster.SideOf(a.Grain)))
            .Select(a => $"{a.Grain.Name} ({RoleCluster.SideOf(a.Grain)}) on a {roles[a.Silo]} silo")
            .Distinct()
            .ToList();
        Assert.True(misplaced.Count == 0, string.Join("; ", misplaced));
    }

    [Fact]
    public async Task Each_silo_runs_only_the_keepers_of_its_own_side()
    {
        var write = _cluster.Cluster.Primary!.SiloAddress;
        var reads = _cluster.Cluster.SecondarySilos.Select(s => s.SiloAddress).ToList();

        // Both keepers run from the start, every few hundred milliseconds: each side's has called by now.
        await Eventually.ReturnsAsync(
            () => Task.FromResult(KeeperCalls.From(write).Contains(typeof(IProcessResumer)) && reads.All(r => KeeperCalls.From(r).Contains(typeof(IProjectionHealer)))),
            called => called,
            Wait,
            "the write silo to keep the process resumer and each read silo to report to the healer");

        Assert.DoesNotContain(typeof(IProjectionHealer), KeeperCalls.From(write));
        Assert.DoesNotContain(typeof(ILedgerRegistry), KeeperCalls.From(write));
        Assert.All(reads, read => Assert.DoesNotContain(typeof(IProcessResumer), KeeperCalls.From(read)));
    }

    [Fact]
    public async Task The_cluster_lists_every_silo_with_the_role_it_published()
    {
        var expected = _cluster.Roles().ToDictionary(r => r.Key.Endpoint.ToString(), r => (SiloRole?)r.Value);

        // Asked through the client, the answer comes from whichever silo runs the query: every role must have reached it.
        var silos = await Eventually.ReturnsAsync(
            () => _cluster.Grains.GetGrain<IClusterSilos>(0).GetSilos(TimeSpan.FromMinutes(1)),
            listed => listed.Count == expected.Count && listed.All(s => s.Role is not null),
            Wait,
            "every silo listed with its role");

        Assert.Equal(expected, silos.ToDictionary(s => s.Address, s => s.Role));
        Assert.All(silos, s => Assert.Equal("active", s.Status));
    }

    /// <summary>The grain classes of both sides the workload activates.</summary>
    private static readonly Type[] Expected =
    [
        typeof(AccountGrain), typeof(TransferGrain), typeof(ProcessResumer),
        typeof(AccountSummaryProjection), typeof(AccountStatementProjection), typeof(LedgerShard),
        typeof(LedgerRegistry), typeof(ProjectionHealer), typeof(ReadModelQueries), typeof(CustomerQueries),
        typeof(BankQueries), typeof(LogTail),
    ];
}
