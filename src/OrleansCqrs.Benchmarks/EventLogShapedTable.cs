using Npgsql;

namespace OrleansCqrs.Benchmarks;

/// <summary>
/// A fresh table with the event log's columns, constraints and indexes (its position an identity), for the database's
/// own limits to write the same rows into without us.
/// </summary>
public static class EventLogShapedTable
{
    public static async Task CreateAsync(NpgsqlDataSource dataSource, string table)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var create = dataSource.CreateCommand($"""
            DROP TABLE IF EXISTS {table};
            CREATE TABLE {table} (LIKE cqrs_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);
            ALTER TABLE {table} ALTER COLUMN global_position ADD GENERATED ALWAYS AS IDENTITY;
            """);
        await create.ExecuteNonQueryAsync();
    }
}
