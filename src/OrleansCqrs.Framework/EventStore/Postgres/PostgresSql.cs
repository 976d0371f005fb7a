namespace OrleansCqrs.Framework.EventStore.Postgres;

/// <summary>The statements of <see cref="PostgresEventStore"/>.</summary>
internal static class PostgresSql
{
    /// <summary>
    /// One key for every writer of the log. Held from before the first position is handed out until commit, so
    /// transactions take positions in commit order: a reader that sees position P also sees every committed position
    /// below P, and a gap can only be a rolled-back transaction, never one still in flight.
    /// </summary>
    public const long AppendLockKey = 0x4F43_5152_5345_5654; // "OCQRSEVT"

    public const string TakeAppendLock = "SELECT pg_advisory_xact_lock(@lock_key)";

    /// <summary>
    /// Appends a batch in one statement. Each append is checked on its own against its stream's current version and
    /// its command id (accepted before: an event carries it; rejected before: a rejection row does); only the appends
    /// that pass are written, in input order: their events, or for a rejection its row. One row per append comes back.
    /// </summary>
    public const string AppendBatch = """
        WITH a AS (
            SELECT *
            FROM unnest(@a_stream::text[], @a_expected::bigint[], @a_command::uuid[], @a_fingerprint::text[],
                        @a_count::bigint[], @a_rejection::text[])
                 WITH ORDINALITY AS a(stream_id, expected, command_id, fingerprint, event_count, rejection, idx)
        ),
        chk AS (
            SELECT a.*,
                   COALESCE((SELECT max(e.version) FROM cqrs_events e WHERE e.stream_id = a.stream_id), 0) AS current_version,
                   d.version AS dup_version, d.global_position AS dup_position, d.command_fingerprint AS dup_fingerprint,
                   r.version AS rejected_version, r.command_fingerprint AS rejected_fingerprint, r.outcome AS rejected_outcome
            FROM a
            LEFT JOIN cqrs_events d ON d.stream_id = a.stream_id AND d.command_id = a.command_id
            LEFT JOIN cqrs_command_rejections r ON r.stream_id = a.stream_id AND r.command_id = a.command_id
        ),
        passed AS (
            SELECT * FROM chk
            WHERE dup_version IS NULL AND rejected_version IS NULL AND current_version = expected
        ),
        ins AS (
            INSERT INTO cqrs_events (stream_id, version, event_type, data, metadata, command_id, command_fingerprint)
            SELECT passed.stream_id, passed.expected + ev.n, ev.event_type, ev.data::json, ev.metadata::json,
                   CASE WHEN ev.n = passed.event_count THEN passed.command_id END,
                   CASE WHEN ev.n = passed.event_count THEN passed.fingerprint END
            FROM unnest(@e_append::bigint[], @e_n::bigint[], @e_type::text[], @e_data::text[], @e_metadata::text[])
                 WITH ORDINALITY AS ev(append_idx, n, event_type, data, metadata, ord)
            JOIN passed ON passed.idx = ev.append_idx
            ORDER BY ev.ord
            RETURNING stream_id, version, global_position
        ),
        rejections AS (
            INSERT INTO cqrs_command_rejections (stream_id, command_id, command_fingerprint, version, outcome)
            SELECT stream_id, command_id, fingerprint, expected, rejection
            FROM passed
            WHERE rejection IS NOT NULL
        )
        SELECT chk.idx, chk.current_version, chk.dup_version, chk.dup_position, chk.dup_fingerprint,
               max(ins.version) AS new_version, max(ins.global_position) AS new_position,
               chk.rejected_version, chk.rejected_fingerprint, chk.rejected_outcome
        FROM chk
        LEFT JOIN ins ON ins.stream_id = chk.stream_id
        GROUP BY chk.idx, chk.current_version, chk.dup_version, chk.dup_position, chk.dup_fingerprint,
                 chk.rejected_version, chk.rejected_fingerprint, chk.rejected_outcome
        """;

    /// <summary>The outcome of a command id on a stream: its append's last event, or its rejection.</summary>
    public const string FindCommand = """
        SELECT version, global_position, command_fingerprint, NULL::text AS outcome
        FROM cqrs_events
        WHERE stream_id = @stream AND command_id = @command
        UNION ALL
        SELECT version, 0, command_fingerprint, outcome
        FROM cqrs_command_rejections
        WHERE stream_id = @stream AND command_id = @command
        LIMIT 1
        """;

    public const string PurgeRejections = "DELETE FROM cqrs_command_rejections WHERE recorded_at < @before";

    public const string ReadStream = """
        SELECT stream_id, version, global_position, event_type, data::text, metadata::text
        FROM cqrs_events
        WHERE stream_id = @stream AND version >= @from
        ORDER BY version
        LIMIT @max
        """;

    public const string HeadPosition = "SELECT coalesce(max(global_position), 0) FROM cqrs_events";

    public const string ReadAll = """
        SELECT stream_id, version, global_position, event_type, data::text, metadata::text
        FROM cqrs_events
        WHERE global_position > @after
        ORDER BY global_position
        LIMIT @max
        """;
}
