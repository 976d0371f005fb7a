using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Roles;

namespace OrleansCqrs.Bank.Tests.Roles;

/// <summary>
/// A read silo that joins a running cluster, while the write silo's role has not reached it yet: it must not open
/// its gateway before it can place a command's aggregate, or a command entering through it is refused with
/// <see cref="SiloRoleUnavailableException"/> although the write silo is up (CI saw it after a read silo's restart).
/// </summary>
public sealed class RoleArrivalTests
{
    [Fact]
    public async Task A_joining_silo_becomes_active_only_once_it_can_place_the_other_sides_grains()
    {
        // The third silo (Secondary_2) is started by the test, and the others' roles reach it late.
        await using var cluster = await RoleCluster.DeployAsync("write,read", lateMetadataSilo: "Secondary_2");
        await AssertAJoiningSiloPlacesACommandOnTheWriteSiloAsync(cluster);
    }

    [Fact]
    public async Task A_joining_silo_to_which_the_others_metadata_never_arrives_asks_them_for_their_roles()
    {
        // Orleans' cache of the others' metadata stays empty on the joined silo, as after a failed fetch, which Orleans
        // does not repeat for minutes: the silo learns their roles by asking them.
        await using var cluster = await RoleCluster.DeployAsync("write,read", lateMetadataSilo: "Secondary_2", metadataNeverArrives: true);
        await AssertAJoiningSiloPlacesACommandOnTheWriteSiloAsync(cluster);
    }

    /// <summary>A silo started now places a command's aggregate, as it would a front end's command through its gateway.</summary>
    private static async Task AssertAJoiningSiloPlacesACommandOnTheWriteSiloAsync(RoleCluster cluster)
    {
        var joined = await cluster.Cluster.StartAdditionalSiloAsync();

        var id = $"acc-{Guid.NewGuid():N}";
        var opened = await RoleCluster.GrainsOn(joined).GetGrain<IAccountGrain>(id).Execute(new OpenAccount($"cust-{Guid.NewGuid():N}", "EUR"), CommandContext.New());

        Assert.True(opened.IsAccepted, opened.Rejection?.Message);
        var write = Assert.Single(cluster.Roles(), silo => silo.Value == SiloRole.Write).Key;
        Assert.Contains((typeof(AccountGrain), write), cluster.Activations());
    }
}
