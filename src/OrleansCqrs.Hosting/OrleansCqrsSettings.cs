namespace OrleansCqrs.Hosting;

/// <summary>The <c>OrleansCqrs</c> configuration section (environment: <c>OrleansCqrs__Store=Postgres</c>, ...).</summary>
public sealed class OrleansCqrsSettings
{
    public const string SectionName = "OrleansCqrs";

    public StoreKind Store { get; set; } = StoreKind.Sqlite;

    /// <summary>For <see cref="StoreKind.Sqlite"/>: the folder of events.db and grains.db, relative to the content root.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>For <see cref="StoreKind.Postgres"/>: an Npgsql connection string.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>An aggregate writes a snapshot every this many events.</summary>
    public int SnapshotEvery { get; set; } = 100;

    public string SqliteConnectionString(string contentRoot, string file) =>
        $"Data Source={Path.Combine(Path.GetFullPath(DataDirectory, contentRoot), file)}";

    public string RequirePostgres() =>
        string.IsNullOrWhiteSpace(PostgresConnectionString)
            ? throw new InvalidOperationException($"{SectionName}:Store is Postgres but {SectionName}:PostgresConnectionString is empty.")
            : PostgresConnectionString;
}
