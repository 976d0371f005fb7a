namespace OrleansCqrs.Framework.EventStore.Postgres;

/// <summary>The statements of <see cref="PostgresEventStore"/>.</summary>
internal static class PostgresSql
{
    /// <summary>
    /// The first position of the calling transaction: its id (plus the clock's shift) in the high bits, so positions
    /// follow transaction ids and no writer waits for another to hand them out. Events of a batch add their ordinal
    /// (below 2^16) to it. See Migrations/Postgres/0003 and <see cref="ReadBound"/>.
    /// </summary>
    private const string TransactionBase = "(pg_current_xact_id()::text::bigint + xid_shift) << 16";

    /// <summary>
    /// The first position a reader may not read yet: that of the oldest transaction still running when the
    /// statement's snapshot was taken. Every transaction with a smaller id has ended (committed rows are in the
    /// snapshot, rolled-back ones never will be), so nothing can appear below it later; above it, a transaction still
    /// running may yet commit rows. Evaluated once per statement (an init plan), so it bounds an index range scan.
    /// </summary>
    public const string ReadBound = "(SELECT (pg_snapshot_xmin(pg_current_snapshot())::text::bigint + xid_shift) << 16 FROM cqrs_log_clock)";

    /// <summary>
    /// Appends a batch in one statement, its own implicit transaction. Each append is checked on its own against its
    /// stream's current version and its command id (accepted before: an event carries it; rejected before: a
    /// rejection row does); only the appends that pass are written, in input order: their events, numbered from the
    /// transaction's base position by their ordinal in the batch, or for a rejection its row. One row per append
    /// comes back. Two transactions appending to one stream at once (only a second activation of its grain does) meet
    /// at the unique (stream, version) index: the later one fails with a unique violation, never a gap or a fork.
    /// </summary>
    /// <remarks>
    /// The events come with everything their rows need (stream, version, and the command on an append's last event),
    /// so they are filtered by their append's verdict, one array lookup each, and never joined back to the appends:
    /// a join planned as a nested loop (the planner cannot know how many appends pass) made a batch cost grow with
    /// the square of its size.
    /// </remarks>
    public const string AppendBatch = $"""
        WITH a AS (
            SELECT *
            FROM unnest(@a_stream::text[], @a_expected::bigint[], @a_command::uuid[], @a_fingerprint::text[], @a_rejection::text[])
                 WITH ORDINALITY AS a(stream_id, expected, command_id, fingerprint, rejection, idx)
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
        verdict AS (
            SELECT array_agg(dup_version IS NULL AND rejected_version IS NULL AND current_version = expected ORDER BY idx) AS passed
            FROM chk
        ),
        clock AS (
            SELECT {TransactionBase} AS base FROM cqrs_log_clock
        ),
        ins AS (
            INSERT INTO cqrs_events (global_position, stream_id, version, event_type, data, metadata, command_id, command_fingerprint)
            SELECT clock.base + ev.ord, ev.stream_id, ev.version, ev.event_type, ev.data::json, ev.metadata::json, ev.command_id, ev.fingerprint
            FROM unnest(@e_append::bigint[], @e_stream::text[], @e_version::bigint[], @e_command::uuid[], @e_fingerprint::text[],
                        @e_type::text[], @e_data::text[], @e_metadata::text[])
                 WITH ORDINALITY AS ev(append_idx, stream_id, version, command_id, fingerprint, event_type, data, metadata, ord)
            CROSS JOIN verdict
            CROSS JOIN clock
            WHERE verdict.passed[ev.append_idx]
            ORDER BY ev.ord
            RETURNING stream_id, version, global_position
        ),
        rejections AS (
            INSERT INTO cqrs_command_rejections (stream_id, command_id, command_fingerprint, version, outcome)
            SELECT chk.stream_id, chk.command_id, chk.fingerprint, chk.expected, chk.rejection
            FROM chk
            CROSS JOIN verdict
            WHERE chk.rejection IS NOT NULL AND verdict.passed[chk.idx]
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

    /// <summary>
    /// After a restore into a server whose transaction ids are lower than the old server's (a logical dump), new
    /// positions would fall below the restored ones and readers past them would never see them: the shift is raised
    /// so that they start above the highest position stored. A no-op on a healthy log.
    /// </summary>
    public const string AlignLogClock = $"""
        UPDATE cqrs_log_clock
        SET xid_shift = (SELECT max(global_position) >> 16 FROM cqrs_events) + 1 - pg_current_xact_id()::text::bigint
        WHERE {TransactionBase} <= (SELECT coalesce(max(global_position), 0) FROM cqrs_events)
        """;

    public const string CurrentVersion = "SELECT coalesce(max(version), 0) FROM cqrs_events WHERE stream_id = @stream";

    public const string PurgeRejections = "DELETE FROM cqrs_command_rejections WHERE recorded_at < @before";

    public const string ReadStream = """
        SELECT stream_id, version, global_position, event_type, data::text, metadata::text
        FROM cqrs_events
        WHERE stream_id = @stream AND version >= @from
        ORDER BY version
        LIMIT @max
        """;

    /// <summary>The last position a reader may read now (see <see cref="ReadBound"/>).</summary>
    public const string HeadPosition = $"SELECT coalesce(max(global_position), 0) FROM cqrs_events WHERE global_position < {ReadBound}";

    public const string ReadAll = $"""
        SELECT stream_id, version, global_position, event_type, data::text, metadata::text
        FROM cqrs_events
        WHERE global_position > @after AND global_position < {ReadBound}
        ORDER BY global_position
        LIMIT @max
        """;
}
