namespace OrleansCqrs.Hosting;

/// <summary>
/// The silo's part of the <c>OrleansCqrs:Limits</c> section (<c>OrleansCqrs:Limits:Silo:...</c>). The front end's
/// limits in the same section are bound by <c>OrleansCqrs.Framework.AspNetCore.Limits.CqrsLimitsOptions</c>.
/// </summary>
public sealed class LimitsSettings
{
    public SiloLimitsSettings Silo { get; set; } = new();
}
