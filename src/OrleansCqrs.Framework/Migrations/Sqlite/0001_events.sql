-- The event log. SQLite has one writer at a time, so rowid order is commit order.
CREATE TABLE IF NOT EXISTS cqrs_events (
    global_position     INTEGER PRIMARY KEY AUTOINCREMENT,
    stream_id           TEXT    NOT NULL,
    version             INTEGER NOT NULL CHECK (version > 0),
    event_type          TEXT    NOT NULL,
    data                TEXT    NOT NULL,
    metadata            TEXT    NOT NULL,
    -- Set on the last event of an append only, so that one index makes a command id unique per stream.
    command_id          BLOB    NULL,
    command_fingerprint TEXT    NULL,
    recorded_at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (stream_id, version)
);

CREATE UNIQUE INDEX IF NOT EXISTS cqrs_events_stream_command
    ON cqrs_events (stream_id, command_id) WHERE command_id IS NOT NULL;
