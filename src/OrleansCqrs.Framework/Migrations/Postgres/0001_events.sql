-- The event log. Global positions are handed out under the append lock (see PostgresEventStore), so position
-- order is commit order and a reader that has seen position P has seen every event before P.
CREATE TABLE IF NOT EXISTS cqrs_events (
    global_position     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stream_id           text        NOT NULL,
    version             bigint      NOT NULL CHECK (version > 0),
    event_type          text        NOT NULL,
    data                json        NOT NULL,
    metadata            json        NOT NULL,
    -- Set on the last event of an append only, so that one index makes a command id unique per stream.
    command_id          uuid        NULL,
    command_fingerprint text        NULL,
    recorded_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT cqrs_events_stream_version UNIQUE (stream_id, version)
);

CREATE UNIQUE INDEX IF NOT EXISTS cqrs_events_stream_command
    ON cqrs_events (stream_id, command_id) WHERE command_id IS NOT NULL;
