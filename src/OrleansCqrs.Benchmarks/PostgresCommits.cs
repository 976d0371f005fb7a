using System.Diagnostics;
using Npgsql;

namespace OrleansCqrs.Benchmarks;

/// <summary>
/// Transactions the PostgreSQL server committed per second during a window, all databases together (from
/// <c>pg_stat_database</c>, which backends update about once a second, so a 20 s window is right within a few %).
/// With the commands in the same window it tells how many commands one commit carried: the group commit at work.
/// </summary>
public static class PostgresCommits
{
    public static async Task<double> MeasureAsync(string connectionString, TimeSpan delay, TimeSpan window)
    {
        await Task.Delay(delay);
        var before = await CommittedAsync(connectionString);
        var clock = Stopwatch.StartNew();
        await Task.Delay(window);
        var after = await CommittedAsync(connectionString);
        return (after - before) / clock.Elapsed.TotalSeconds;
    }

    private static async Task<long> CommittedAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT sum(xact_commit)::bigint FROM pg_stat_database", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
