using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Accounts.Summary;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Projections;
using OrleansCqrs.Framework.Roles;

namespace OrleansCqrs.Bank.Tests.Roles;

/// <summary>A three-silo test cluster of its own whose silos have roles, and what the tests ask of it.</summary>
public sealed class RoleCluster : IAsyncDisposable
{
    private RoleCluster(TestCluster cluster, string name)
    {
        Cluster = cluster;
        Name = name;
    }

    public TestCluster Cluster { get; }

    public string Name { get; }

    public IGrainFactory Grains => Cluster.GrainFactory;

    /// <summary>
    /// Deploys silos with <paramref name="roles"/> by instance (the primary first), e.g. <c>write,read,read</c>; the silo
    /// named <paramref name="lateMetadataSilo"/>, if any, learns the others' roles late (<see cref="LateSiloMetadata"/>), or
    /// never from Orleans' metadata if <paramref name="metadataNeverArrives"/>.
    /// </summary>
    public static async Task<RoleCluster> DeployAsync(string roles, string? lateMetadataSilo = null, bool metadataNeverArrives = false)
    {
        var name = $"roles-{Guid.NewGuid():N}";
        var cluster = await ClusterFixture.DeployAsync(name, healingGrace: null, builder =>
        {
            builder.Options.InitialSilosCount = (short)roles.Split(',').Length;
            builder.Properties[ClusterFixture.RolesKey] = roles;
            if (lateMetadataSilo is not null)
            {
                builder.Properties[LateSiloMetadata.SiloKey] = lateMetadataSilo;
            }

            if (metadataNeverArrives)
            {
                builder.Properties[LateSiloMetadata.NeverKey] = "true";
            }
        });
        return new RoleCluster(cluster, name);
    }

    /// <summary>The role each live silo runs with, as its own services say.</summary>
    public IReadOnlyDictionary<SiloAddress, SiloRole> Roles() =>
        Cluster.GetActiveSilos().ToDictionary(s => s.SiloAddress, s => Services(s).GetRequiredService<LocalSiloRole>().Role);

    /// <summary>A grain factory inside <paramref name="silo"/>: its calls are placed by that silo, as a gateway's are.</summary>
    public static IGrainFactory GrainsOn(SiloHandle silo) => Services(silo).GetRequiredService<IGrainFactory>();

    /// <summary>Every grain class that took a call on a live silo of this cluster, and the silo.</summary>
    public IReadOnlyList<(Type Grain, SiloAddress Silo)> Activations() => ActivationSites.On(Roles().Keys);

    /// <summary>The side a grain class belongs to, by the attribute it or a base class carries.</summary>
    public static SiloRole SideOf(Type grain) =>
        grain.GetCustomAttribute<WriteSideAttribute>(inherit: true) is not null ? SiloRole.Write
        : grain.GetCustomAttribute<ReadSideAttribute>(inherit: true) is not null ? SiloRole.Read
        : SiloRole.All;

    public async Task<(string Id, CommandResult Deposited)> OpenWithDepositAsync(string customer, decimal amount)
    {
        var id = $"acc-{Guid.NewGuid():N}";
        var account = Grains.GetGrain<IAccountGrain>(id);
        Assert.True((await account.Execute(new OpenAccount(customer, "EUR"), CommandContext.New())).IsAccepted);
        var deposited = await account.Execute(new DepositMoney(amount), CommandContext.New());
        Assert.True(deposited.IsAccepted, deposited.Rejection?.Message);
        return (id, deposited);
    }

    /// <summary>The account's summary through the query grain, at least at <paramref name="minVersion"/>.</summary>
    public static Task<ProjectionRead<AccountSummary>> SummaryAsync(IGrainFactory grains, string accountId, long minVersion) =>
        grains.GetGrain<IReadModelQueries>(0).Get<IAccountSummaryProjection, AccountSummary>(accountId, minVersion, TimeSpan.FromSeconds(5));

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private static IServiceProvider Services(SiloHandle silo) => ((InProcessSiloHandle)silo).ServiceProvider;
}
