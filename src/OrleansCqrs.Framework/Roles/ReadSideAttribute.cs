using Orleans.Placement;

namespace OrleansCqrs.Framework.Roles;

/// <summary>
/// Grains of this class (and its subclasses) live on read silos only (role <c>read</c> or <c>all</c>). The framework's
/// projection bases carry it; a domain's own query grains say it themselves.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true, AllowMultiple = false)]
public sealed class ReadSideAttribute() : PlacementFilterAttribute(new SiloRoleFilter(SiloRole.Read));
