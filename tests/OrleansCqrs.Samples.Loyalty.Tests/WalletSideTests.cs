using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;

namespace OrleansCqrs.Samples.Loyalty.Tests;

/// <summary>
/// The sample's grains say nothing about silo roles: they take their side from the framework's base classes, as
/// Orleans' manifest of the sample's own silo shows (the placement filter every silo places them by).
/// </summary>
public sealed class WalletSideTests(WalletApiTests.Host host) : IClassFixture<WalletApiTests.Host>
{
    [Theory]
    [InlineData(typeof(WalletGrain), "write")]
    [InlineData(typeof(WalletBalanceProjection), "read")]
    public void A_grain_of_the_sample_is_placed_on_the_side_of_its_base_class(Type grain, string side)
    {
        var services = host.Services;
        var grainType = services.GetRequiredService<GrainTypeResolver>().GetGrainType(grain);
        Assert.True(services.GetRequiredService<GrainPropertiesResolver>().TryGetGrainProperties(grainType, out var properties));

        Assert.Equal("SiloRoleFilter", properties.Properties[WellKnownGrainTypeProperties.PlacementFilter]);
        Assert.Equal(side, properties.Properties[$"{WellKnownGrainTypeProperties.PlacementFilter}.SiloRoleFilter.side"]);
    }
}
