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

    /// <summary>
    /// Waits until <paramref name="grain"/> has no activation left (an ended process deactivates by itself). Its
    /// deactivation waits for it to be idle and its publishing done: under CI's load beside other tests it once took
    /// longer than 10 s, hence the 30 s.
    /// </summary>
    public static async Task GoneAsync(IGrainFactory grains, IAddressable grain, string what) =>
        await Eventually.ReturnsAsync(() => IsActiveAsync(grains, grain), active => !active, TimeSpan.FromSeconds(30), what);

    /// <summary>Every active grain of <paramref name="type"/>, as each silo's own catalog says.</summary>
    public static async Task<IReadOnlySet<GrainId>> ActiveAsync(IGrainFactory grains, GrainType type)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return (await grains.GetGrain<IManagementGrain>(0).GetActiveGrains(type)).ToHashSet();
    }
}
