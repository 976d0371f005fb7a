namespace OrleansCqrs.Framework.EventStore.Sqlite;

/// <summary>The statements of <see cref="SqliteEventStore"/>.</summary>
internal static class SqliteSql
{
    // WAL lets readers run beside the writer; FULL syncs the WAL at every commit, so an acknowledged append
    // survives a power cut, not only a process crash. With group commit that is one sync per batch.
    public const string ConnectionPragmas = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;";

    /// <summary>The outcome of a command id on a stream: its append's last event, or its rejection.</summary>
    public const string FindCommand = """
        SELECT version, global_position, command_fingerprint, NULL AS outcome
        FROM cqrs_events
        WHERE stream_id = $stream AND command_id = $command
        UNION ALL
        SELECT version, 0, command_fingerprint, outcome
        FROM cqrs_command_rejections
        WHERE stream_id = $stream AND command_id = $command
        LIMIT 1
        """;

    public const string InsertRejection = """
        INSERT INTO cqrs_command_rejections (stream_id, command_id, command_fingerprint, version, outcome)
        VALUES ($stream, $command, $fingerprint, $version, $outcome)
        """;

    public const string PurgeRejections = "DELETE FROM cqrs_command_rejections WHERE recorded_at < $before";

    public const string CurrentVersion = "SELECT coalesce(max(version), 0) FROM cqrs_events WHERE stream_id = $stream";

    public const string Insert = """
        INSERT INTO cqrs_events (stream_id, version, event_type, data, metadata, command_id, command_fingerprint)
        VALUES ($stream, $version, $type, $data, $metadata, $command, $fingerprint)
        RETURNING global_position
        """;

    public const string ReadStream = """
        SELECT stream_id, version, global_position, event_type, data, metadata
        FROM cqrs_events
        WHERE stream_id = $stream AND version >= $from
        ORDER BY version
        LIMIT $max
        """;

    public const string HeadPosition = "SELECT coalesce(max(global_position), 0) FROM cqrs_events";

    public const string ReadAll = """
        SELECT stream_id, version, global_position, event_type, data, metadata
        FROM cqrs_events
        WHERE global_position > $after
        ORDER BY global_position
        LIMIT $max
        """;
}
