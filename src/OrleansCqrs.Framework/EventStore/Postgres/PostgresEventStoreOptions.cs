namespace OrleansCqrs.Framework.EventStore.Postgres;

public sealed class PostgresEventStoreOptions
{
    public string ConnectionString { get; set; } = "";

    /// <summary>Connecting fails after this long (Npgsql's default is 15 s, past Orleans' 30 s call timeout with retries).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A statement fails after this long.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public GroupCommitOptions GroupCommit { get; set; } = new() { Writers = 2 };
}
