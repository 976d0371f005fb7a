-- Commands that were rejected: they write no event, yet a retry must get the same answer, even after the stream
-- has moved on. Accepted commands are found through cqrs_events.command_id instead. Rows are written under the
-- append lock in the same statement as appends, so a command id has exactly one outcome, and are purged after the
-- configured retention (recorded_at).
CREATE TABLE IF NOT EXISTS cqrs_command_rejections (
    stream_id           text        NOT NULL,
    command_id          uuid        NOT NULL,
    command_fingerprint text        NULL,
    -- The stream version the rejection was decided at.
    version             bigint      NOT NULL CHECK (version >= 0),
    outcome             text        NOT NULL,
    recorded_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (stream_id, command_id)
);

CREATE INDEX IF NOT EXISTS cqrs_command_rejections_recorded_at ON cqrs_command_rejections (recorded_at);
