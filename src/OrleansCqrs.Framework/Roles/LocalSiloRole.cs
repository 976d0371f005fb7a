namespace OrleansCqrs.Framework.Roles;

/// <summary>This silo's role, for the silo services that only make sense on one side (a keeper, a warm-up).</summary>
public sealed record LocalSiloRole(SiloRole Role)
{
    /// <summary>Whether this silo hosts the write side (aggregates, process managers, writers).</summary>
    public bool HostsWrites => Role.Hosts(SiloRole.Write);

    /// <summary>Whether this silo hosts the read side (projections, query grains, the healer).</summary>
    public bool HostsReads => Role.Hosts(SiloRole.Read);
}
