-- Keyed read models (log projections): a checkpoint row per projection, and its rows by key. A save writes the
-- checkpoint and only the rows that changed, in one transaction, so state and checkpoint never disagree.
CREATE TABLE IF NOT EXISTS cqrs_projections (
    projection_id TEXT    PRIMARY KEY,
    position      INTEGER NOT NULL,
    header        BLOB    NOT NULL,
    stuck_error   TEXT    NULL,
    -- Bumped by every save; a save presenting another etag is refused (two activations of one projection).
    etag          INTEGER NOT NULL,
    -- A replaced rebuild generation: its rows are gone and it is never saved again.
    retired       INTEGER NOT NULL DEFAULT 0,
    saved_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE IF NOT EXISTS cqrs_projection_rows (
    projection_id TEXT NOT NULL,
    row_key       TEXT NOT NULL,
    data          BLOB NOT NULL,
    PRIMARY KEY (projection_id, row_key)
) WITHOUT ROWID;
