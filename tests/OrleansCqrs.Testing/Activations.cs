namespace OrleansCqrs.Testing;

/// <summary>Whether a grain has an activation, asked without waking it.</summary>
public static class Activations
{
    /// <summary>
    /// Whether <paramref name="grain"/> is active on any silo, as each silo's own catalog says. Not
    /// <c>IManagementGrain.GetActivationAddress</c>: that answers from its silo's directory cache first, which can keep
    /// an activation's address long after it has gone (CI saw it for 30 s).
    /// </summary>
    public static async Task<bool> IsActiveAsync(IGrainFactory grains, IAddressable grain)
    {
        var id = grain.GetGrainId();
        return (await ActiveAsync(grains, id.Type)).Contains(id);
    }

    /// <summary>Every active grain of <paramref name="type"/>, as each silo's own catalog says.</summary>
    public static async Task<IReadOnlySet<GrainId>> ActiveAsync(IGrainFactory grains, GrainType type)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return (await grains.GetGrain<IManagementGrain>(0).GetActiveGrains(type)).ToHashSet();
    }
}
