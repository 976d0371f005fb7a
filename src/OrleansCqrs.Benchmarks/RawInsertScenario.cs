using Npgsql;

namespace OrleansCqrs.Benchmarks;

/// <summary>
/// The database's own limit for the same rows: one INSERT per transaction from many connections, into a table shaped
/// like the event log (same columns, same unique constraint), synchronous_commit on.
/// </summary>
public static class RawInsertScenario
{
    private const string Insert = """
        INSERT INTO bench_raw_events (stream_id, version, event_type, data, metadata, command_id)
        VALUES (@stream, @version, 'bank.account.deposited.v1', @data::json, @metadata::json, @command)
        """;

    public static async Task<ThroughputResult> RunAsync(string connectionString, int connections, TimeSpan warmUp, TimeSpan measured, string? progress = null)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await EventLogShapedTable.CreateAsync(dataSource, "bench_raw_events");

        return await ClosedLoad.RunAsync(connections, async worker =>
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var command = new NpgsqlCommand(Insert, connection);
            var stream = new NpgsqlParameter<string>("stream", "");
            var version = new NpgsqlParameter<long> { ParameterName = "version", TypedValue = 0 };
            var commandId = new NpgsqlParameter<Guid>("command", Guid.Empty);
            command.Parameters.Add(stream);
            command.Parameters.Add(version);
            command.Parameters.Add(commandId);
            command.Parameters.Add(new NpgsqlParameter<string>("data", """{"amount":1.25}"""));
            command.Parameters.Add(new NpgsqlParameter<string>("metadata", $$"""{"commandId":"{{Guid.NewGuid()}}","timestamp":"{{DateTimeOffset.UtcNow:O}}"}"""));
            await command.PrepareAsync();
            for (var n = 0L; worker.Running; n++)
            {
                stream.TypedValue = $"bank.account-raw-{worker.Index}-{n / 1000}";
                version.TypedValue = n % 1000 + 1;
                commandId.TypedValue = Guid.NewGuid();
                await worker.TimeAsync(() => command.ExecuteNonQueryAsync());
            }
        }, warmUp, measured, progress);
    }
}
