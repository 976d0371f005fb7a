using Orleans.Metadata;
using Orleans.Placement;

namespace OrleansCqrs.Framework.Roles;

/// <summary>
/// Placement filter: a grain is placed only on silos whose role hosts its side (<see cref="WriteSideAttribute"/>,
/// <see cref="ReadSideAttribute"/>). The side travels in the grain type's properties, so every silo places the type
/// the same way; the filter's director (in the hosting project) reads the candidates' roles from their silo metadata.
/// </summary>
public sealed class SiloRoleFilter : PlacementFilterStrategy
{
    private const string SideProperty = "side";

    /// <summary>As the placement runtime creates it: the side comes from the grain type's properties.</summary>
    public SiloRoleFilter()
        : this(SiloRole.All)
    {
    }

    public SiloRoleFilter(SiloRole side)
        : base(order: 0) => Side = side;

    /// <summary>The side the grain belongs to: the silos that may host it are those whose role hosts this side.</summary>
    public SiloRole Side { get; private set; }

    public override void AdditionalInitialize(GrainProperties properties)
    {
        var side = GetPlacementFilterGrainProperty(SideProperty, properties);
        Side = SiloRoles.TryParse(side, out var parsed)
            ? parsed
            : throw new ArgumentException($"The grain type's silo role filter names no side it knows ('{side}').", nameof(properties));
    }

    protected override IEnumerable<KeyValuePair<string, string>> GetAdditionalGrainProperties(
        IServiceProvider services, Type grainClass, GrainType grainType, IReadOnlyDictionary<string, string> existingProperties) =>
        [new(SideProperty, Side.Name())];
}
