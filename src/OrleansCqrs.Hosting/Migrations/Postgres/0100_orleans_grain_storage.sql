-- Orleans' ADO.NET grain storage reads its statements from OrleansQuery by key and binds @GrainIdHash, @GrainIdN0,
-- @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString, @ServiceId, @GrainStateVersion and
-- @PayloadBinary. Read returns PayloadBinary and Version; write returns NewGrainStateVersion, and no row when the
-- version it was given is not the stored one (Orleans then raises InconsistentStateException).
CREATE TABLE IF NOT EXISTS OrleansQuery (
    QueryKey  text PRIMARY KEY,
    QueryText text NOT NULL
);

CREATE TABLE IF NOT EXISTS orleans_storage (
    grain_id_hash             integer     NOT NULL,
    grain_id_n0               bigint      NOT NULL,
    grain_id_n1               bigint      NOT NULL,
    grain_type_hash           integer     NOT NULL,
    grain_type_string         text        NOT NULL,
    grain_id_extension_string text        NULL,
    service_id                text        NOT NULL,
    payload_binary            bytea       NULL,
    modified_on               timestamptz NOT NULL,
    version                   integer     NOT NULL
);

CREATE UNIQUE INDEX IF NOT EXISTS orleans_storage_grain ON orleans_storage
    (grain_id_hash, grain_type_hash, service_id, grain_type_string, grain_id_n0, grain_id_n1, coalesce(grain_id_extension_string, ''));

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadFromStorageKey', $sql$
    SELECT payload_binary AS "PayloadBinary", version AS "Version"
    FROM orleans_storage
    WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash AND service_id = @ServiceId
      AND grain_type_string = @GrainTypeString AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
      AND coalesce(grain_id_extension_string, '') = coalesce(@GrainIdExtensionString, '')
$sql$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('WriteToStorageKey', $sql$
    WITH updated AS (
        UPDATE orleans_storage
        SET payload_binary = @PayloadBinary, version = version + 1, modified_on = now()
        WHERE @GrainStateVersion::integer IS NOT NULL AND version = @GrainStateVersion::integer
          AND grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash AND service_id = @ServiceId
          AND grain_type_string = @GrainTypeString AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
          AND coalesce(grain_id_extension_string, '') = coalesce(@GrainIdExtensionString::text, '')
        RETURNING version
    ), inserted AS (
        INSERT INTO orleans_storage (grain_id_hash, grain_id_n0, grain_id_n1, grain_type_hash, grain_type_string,
                                     grain_id_extension_string, service_id, payload_binary, modified_on, version)
        SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
               @GrainIdExtensionString::text, @ServiceId, @PayloadBinary, now(), 1
        WHERE @GrainStateVersion::integer IS NULL
        ON CONFLICT DO NOTHING
        RETURNING version
    )
    SELECT version AS "NewGrainStateVersion" FROM updated
    UNION ALL
    SELECT version FROM inserted
$sql$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ClearStorageKey', $sql$
    UPDATE orleans_storage
    SET payload_binary = NULL, version = version + 1, modified_on = now()
    WHERE version = @GrainStateVersion::integer
      AND grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash AND service_id = @ServiceId
      AND grain_type_string = @GrainTypeString AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
      AND coalesce(grain_id_extension_string, '') = coalesce(@GrainIdExtensionString::text, '')
    RETURNING version
$sql$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
