using Npgsql;

namespace OrleansCqrs.Cluster.Tests;

/// <summary>Statements run over one role's connection, for the tests of what each database role may do.</summary>
internal static class AsRole
{
    private const string InsufficientPrivilege = "42501";

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>The statement fails as a denied privilege, not for any other reason.</summary>
    public static async Task AssertDeniedAsync(string connectionString, string sql)
    {
        var denied = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connectionString, sql));
        Assert.True(denied.SqlState == InsufficientPrivilege, $"{sql}: {denied.SqlState} {denied.MessageText}, not a denial.");
    }
}
