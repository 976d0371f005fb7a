namespace OrleansCqrs.Framework.Roles;

/// <summary>
/// What a silo hosts (<c>OrleansCqrs:Role</c>): the write side (aggregates, process managers, the event store's
/// writers), the read side (projections, query grains, the healer, the live tail), or both.
/// </summary>
public enum SiloRole
{
    /// <summary>Both sides: the default, and the only role of the embedded single-process mode.</summary>
    All,

    /// <summary>Aggregates, process managers and the process resumer: everything that appends.</summary>
    Write,

    /// <summary>Projections, query grains, ledger shards, the healer and the live tail: everything that reads.</summary>
    Read,
}
