using Npgsql;
using NpgsqlTypes;

namespace OrleansCqrs.Benchmarks;

/// <summary>
/// The database's limit with batching: many rows per INSERT and per transaction (the way a group-commit writer
/// appends), from a few connections, into a table shaped like the event log (same columns, constraints and indexes),
/// synchronous_commit on. Reported in rows a second; the latency is that of one batch.
/// </summary>
public static class BatchedInsertScenario
{
    private const string Insert = """
        INSERT INTO bench_batched_events (stream_id, version, event_type, data, metadata, command_id)
        SELECT stream, version, 'bank.account.deposited.v1', '{"amount":1.25}'::json, @metadata::json, command
        FROM unnest(@streams, @versions, @commands) AS batch(stream, version, command)
        """;

    public static async Task<ThroughputResult> RunAsync(string connectionString, int connections, int rowsPerBatch, TimeSpan warmUp, TimeSpan measured, string? progress = null)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await EventLogShapedTable.CreateAsync(dataSource, "bench_batched_events");

        var batches = await ClosedLoad.RunAsync(connections, async worker =>
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var command = new NpgsqlCommand(Insert, connection);
            var streams = new string[rowsPerBatch];
            var versions = new long[rowsPerBatch];
            var commands = new Guid[rowsPerBatch];
            command.Parameters.Add(new NpgsqlParameter<string[]>("streams", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = streams });
            command.Parameters.Add(new NpgsqlParameter<long[]>("versions", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = versions });
            command.Parameters.Add(new NpgsqlParameter<Guid[]>("commands", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { TypedValue = commands });
            command.Parameters.Add(new NpgsqlParameter<string>("metadata", $$"""{"commandId":"{{Guid.NewGuid()}}","timestamp":"{{DateTimeOffset.UtcNow:O}}"}"""));
            await command.PrepareAsync();
            for (var batch = 0L; worker.Running; batch++)
            {
                // Each batch starts streams of its own: no two rows ever collide on (stream, version).
                for (var row = 0; row < rowsPerBatch; row++)
                {
                    streams[row] = $"bank.account-batched-{worker.Index}-{batch}-{row}";
                    versions[row] = 1;
                    commands[row] = Guid.NewGuid();
                }

                await worker.TimeAsync(() => command.ExecuteNonQueryAsync());
            }
        }, warmUp, measured, progress is null ? null : $"{progress} ({rowsPerBatch} rows a batch)");
        return batches with { PerSecond = batches.PerSecond * rowsPerBatch };
    }
}
