namespace OrleansCqrs.Framework.EventStore.Sqlite;

public sealed class SqliteEventStoreOptions
{
    /// <summary>A Microsoft.Data.Sqlite connection string, e.g. <c>Data Source=data/events.db</c>.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>How long a statement waits for a lock held elsewhere before the store reports itself unavailable.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public GroupCommitOptions GroupCommit { get; set; } = new();
}
