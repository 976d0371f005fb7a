-- Commands that were rejected: they write no event, yet a retry must get the same answer, even after the stream
-- has moved on. Accepted commands are found through cqrs_events.command_id instead. Purged after the configured
-- retention (recorded_at, ISO 8601 UTC, so text order is time order).
CREATE TABLE IF NOT EXISTS cqrs_command_rejections (
    stream_id           TEXT    NOT NULL,
    command_id          BLOB    NOT NULL,
    command_fingerprint TEXT    NULL,
    version             INTEGER NOT NULL CHECK (version >= 0),
    outcome             TEXT    NOT NULL,
    recorded_at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (stream_id, command_id)
);

CREATE INDEX IF NOT EXISTS cqrs_command_rejections_recorded_at ON cqrs_command_rejections (recorded_at);
