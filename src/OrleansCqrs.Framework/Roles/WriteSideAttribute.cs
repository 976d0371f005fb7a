using Orleans.Placement;

namespace OrleansCqrs.Framework.Roles;

/// <summary>
/// Grains of this class (and its subclasses) live on write silos only (role <c>write</c> or <c>all</c>). The framework's
/// aggregate base carries it, so a domain's aggregates and process managers need nothing.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true, AllowMultiple = false)]
public sealed class WriteSideAttribute() : PlacementFilterAttribute(new SiloRoleFilter(SiloRole.Write));
