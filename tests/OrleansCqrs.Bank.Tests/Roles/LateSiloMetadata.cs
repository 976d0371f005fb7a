using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace OrleansCqrs.Bank.Tests.Roles;

/// <summary>
/// Plays a silo to which the other silos' metadata (their roles) arrives late, as it does when Orleans' fetch of it is
/// slow: for <see cref="Delay"/> after the silo's services are built, every other silo's metadata reads as empty; or,
/// with <see cref="NeverKey"/>, for good, as when Orleans' one fetch of it failed. Configured per silo by name
/// (<see cref="SiloKey"/>), so a test can make it so for a silo it starts later.
/// </summary>
public sealed class LateSiloMetadata(ISiloMetadataCache arrived, ILocalSiloDetails self, TimeSpan delay) : ISiloMetadataCache
{
    /// <summary>The test cluster's name of the silo (<c>Secondary_2</c>) whose view of the others' metadata is late.</summary>
    public const string SiloKey = "Tests:LateMetadataSilo";

    /// <summary>Set (to anything) for the others' metadata never to arrive from Orleans' cache.</summary>
    public const string NeverKey = "Tests:MetadataNeverArrives";

    /// <summary>Longer than an in-process silo takes to start, well within the silo's bound on waiting for roles.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(4);

    private readonly DateTime _arrives = delay == Timeout.InfiniteTimeSpan ? DateTime.MaxValue : DateTime.UtcNow + delay;

    public SiloMetadata GetSiloMetadata(SiloAddress siloAddress) =>
        siloAddress.Equals(self.SiloAddress) || DateTime.UtcNow >= _arrives ? arrived.GetSiloMetadata(siloAddress) : SiloMetadata.Empty;

    /// <summary>Wraps Orleans' cache in the silo named by <see cref="SiloKey"/>; other silos keep theirs as it is.</summary>
    public static void DecorateIfLate(ISiloBuilder silo)
    {
        if (silo.Configuration[SiloKey] is not { } late || late != silo.Configuration["Orleans:Name"])
        {
            return;
        }

        var orleans = silo.Services.Last(d => d.ServiceType == typeof(ISiloMetadataCache));
        var resolve = orleans.ImplementationFactory
            ?? throw new InvalidOperationException($"Orleans registers {nameof(ISiloMetadataCache)} differently than this test expects: {orleans}");
        silo.Services.AddSingleton<ISiloMetadataCache>(sp =>
            new LateSiloMetadata((ISiloMetadataCache)resolve(sp), sp.GetRequiredService<ILocalSiloDetails>(), silo.Configuration[NeverKey] is null ? Delay : Timeout.InfiniteTimeSpan));
    }
}
