-- Keyed read models (log projections): a checkpoint row per projection, and its rows by key. A save writes the
-- checkpoint and only the rows that changed, in one statement, so state and checkpoint never disagree.
CREATE TABLE IF NOT EXISTS cqrs_projections (
    projection_id text        PRIMARY KEY,
    position      bigint      NOT NULL,
    header        bytea       NOT NULL,
    stuck_error   text        NULL,
    -- Bumped by every save; a save presenting another etag is refused (two activations of one projection).
    etag          bigint      NOT NULL,
    -- A replaced rebuild generation: its rows are gone and it is never saved again.
    retired       boolean     NOT NULL DEFAULT false,
    saved_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS cqrs_projection_rows (
    projection_id text  NOT NULL,
    row_key       text  NOT NULL,
    data          bytea NOT NULL,
    PRIMARY KEY (projection_id, row_key)
);
