-- Global positions stop coming from one identity sequence handed out under a cluster-wide append lock. A position is
-- now the appending transaction's id, shifted left 16 bits, plus the event's ordinal within its batch:
--   position = ((xid + xid_shift) << 16) + ordinal
-- so log order is (transaction id, ordinal) order and writers never wait for each other. A reader reads only below
-- (snapshot xmin + xid_shift) << 16: every transaction with a smaller id has ended, so nothing can still appear
-- below that bound, and a reader that checkpoints the last position it read can never skip a committed event.
-- docs/write-side.md explains the design; PostgresSql holds the statements.

-- One row: the shift that keeps new positions above every position written before (the identity's, or after a
-- restore to a server whose transaction ids are lower; see PostgresEventStore.AlignLogClockAsync).
CREATE TABLE IF NOT EXISTS cqrs_log_clock (
    only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    xid_shift bigint  NOT NULL CHECK (xid_shift >= 0)
);

INSERT INTO cqrs_log_clock (xid_shift)
SELECT greatest(0, (coalesce(max(global_position), 0) >> 16) + 1 - pg_current_xact_id()::text::bigint)
FROM cqrs_events
ON CONFLICT (only_row) DO NOTHING;

ALTER TABLE cqrs_events ALTER COLUMN global_position DROP IDENTITY IF EXISTS;
