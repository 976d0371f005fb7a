namespace OrleansCqrs.Hosting;

/// <summary>Where events and grain state live.</summary>
public enum StoreKind
{
    /// <summary>Embedded: SQLite files under the data directory. The default.</summary>
    Sqlite,

    /// <summary>PostgreSQL, for clusters.</summary>
    Postgres,

    /// <summary>Process memory: tests and throw-away demos; nothing survives a restart.</summary>
    InMemory,
}
