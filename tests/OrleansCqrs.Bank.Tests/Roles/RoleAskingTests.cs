using System.Net;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;
using OrleansCqrs.Framework.Roles;
using OrleansCqrs.Hosting;

namespace OrleansCqrs.Bank.Tests.Roles;

/// <summary>
/// A silo whose Orleans metadata cache never delivers another silo's metadata (its one fetch failed, and Orleans does
/// not try again for minutes) learns that silo's role by asking it; and a refusal to place while roles are unknown says
/// so, for the front end to send the call again.
/// </summary>
public sealed class RoleAskingTests
{
    private static readonly SiloAddress Self = Silo(1);
    private static readonly SiloAddress Writer = Silo(2);
    private static readonly SiloAddress Reader = Silo(3);

    [Fact]
    public async Task A_silo_whose_metadata_has_not_arrived_is_asked_for_its_role()
    {
        var client = new Answers { [Writer] = SiloRole.Write };
        var roles = Roles(SiloRole.Read, client);
        Assert.Null(roles.RoleOf(Writer));

        Assert.Empty(await roles.AskAsync([Writer]));

        Assert.Equal(SiloRole.Write, roles.RoleOf(Writer));
        Assert.Empty(await roles.AskAsync([Writer]));
        Assert.Equal(1, client.Asked(Writer)); // known now: not asked again
    }

    [Fact]
    public async Task A_silo_that_does_not_answer_stays_unknown_and_is_asked_again_only_after_a_pause()
    {
        var client = new Answers { [Writer] = null }; // unreachable
        var roles = Roles(SiloRole.Read, client);

        Assert.Equal([Writer], await roles.AskAsync([Writer]));
        Assert.Equal([Writer], await roles.AskAsync([Writer]));
        Assert.Equal(1, client.Asked(Writer));

        client[Writer] = SiloRole.Write;
        var deadline = DateTime.UtcNow + PublishedRoles.AskEvery + TimeSpan.FromSeconds(5);
        while ((await roles.AskAsync([Writer])).Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The writer was not asked again within {PublishedRoles.AskEvery} and 5 s.");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Equal(2, client.Asked(Writer));
        Assert.Equal(SiloRole.Write, roles.RoleOf(Writer));
    }

    [Fact]
    public async Task Placement_refused_while_a_silo_role_is_unknown_says_roles_are_arriving_and_the_front_end_retries_it()
    {
        var client = new Answers { [Writer] = null, [Reader] = SiloRole.Read };
        var roles = Roles(SiloRole.Read, client);
        await roles.AskAsync([Writer, Reader]);

        var arriving = Assert.Throws<SiloRoleUnavailableException>(() => Place(roles, SiloRole.Write, [Self, Writer, Reader]));
        Assert.True(arriving.RolesArriving, arriving.Message);
        Assert.True(Framework.AspNetCore.GrainRetry.IsTransient(arriving));

        var missing = Assert.Throws<SiloRoleUnavailableException>(() => Place(roles, SiloRole.Write, [Self, Reader]));
        Assert.False(missing.RolesArriving, missing.Message);
        Assert.False(Framework.AspNetCore.GrainRetry.IsTransient(missing));

        Assert.Equal([Self, Reader], Place(roles, SiloRole.Read, [Self, Writer, Reader]));
    }

    private static List<SiloAddress> Place(PublishedRoles roles, SiloRole side, SiloAddress[] silos)
    {
        var target = new PlacementTarget(GrainId.Create("account", "acc-1"), [], default, 0);
        return new SiloRoleFilterDirector(roles).Filter(new SiloRoleFilter(side), target, silos).ToList();
    }

    private static PublishedRoles Roles(SiloRole local, ISiloRoleClient client) =>
        new(new Details(Self), new LocalSiloRole(local), new NoMetadata(), client);

    private static SiloAddress Silo(int n) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11110 + n), 1);

    /// <summary>Each silo's answer: a role, or null for a silo that cannot be reached.</summary>
    private sealed class Answers : Dictionary<SiloAddress, SiloRole?>, ISiloRoleClient
    {
        private readonly Dictionary<SiloAddress, int> _asked = [];

        public int Asked(SiloAddress silo) => _asked.GetValueOrDefault(silo);

        public Task<SiloRole> RoleOf(SiloAddress silo)
        {
            _asked[silo] = Asked(silo) + 1;
            return this[silo] is { } role ? Task.FromResult(role) : Task.FromException<SiloRole>(new SiloUnavailableException($"{silo} is unreachable"));
        }
    }

    private sealed class NoMetadata : ISiloMetadataCache
    {
        public SiloMetadata GetSiloMetadata(SiloAddress siloAddress) => SiloMetadata.Empty;
    }

    private sealed class Details(SiloAddress self) : ILocalSiloDetails
    {
        public string Name => "self";

        public string ClusterId => "tests";

        public string DnsHostName => "localhost";

        public SiloAddress SiloAddress => self;

        public SiloAddress GatewayAddress => self;
    }
}
