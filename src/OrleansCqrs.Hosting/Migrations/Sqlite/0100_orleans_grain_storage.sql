-- Orleans' ADO.NET grain storage reads its statements from OrleansQuery by key and binds @GrainIdHash, @GrainIdN0,
-- @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString, @ServiceId, @GrainStateVersion and
-- @PayloadBinary. Read returns PayloadBinary and Version; write returns NewGrainStateVersion, and no row when the
-- version it was given is not the stored one (Orleans then raises InconsistentStateException).
CREATE TABLE IF NOT EXISTS OrleansQuery (
    QueryKey  TEXT PRIMARY KEY,
    QueryText TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS orleans_storage (
    grain_id_hash             INTEGER NOT NULL,
    grain_id_n0               INTEGER NOT NULL,
    grain_id_n1               INTEGER NOT NULL,
    grain_type_hash           INTEGER NOT NULL,
    grain_type_string         TEXT    NOT NULL,
    grain_id_extension_string TEXT    NULL,
    service_id                TEXT    NOT NULL,
    payload_binary            BLOB    NULL,
    modified_on               TEXT    NOT NULL,
    version                   INTEGER NOT NULL
);

CREATE UNIQUE INDEX IF NOT EXISTS orleans_storage_grain ON orleans_storage
    (grain_id_hash, grain_type_hash, service_id, grain_type_string, grain_id_n0, grain_id_n1, ifnull(grain_id_extension_string, ''));

INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadFromStorageKey', '
    SELECT payload_binary AS PayloadBinary, version AS Version
    FROM orleans_storage
    WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash AND service_id = @ServiceId
      AND grain_type_string = @GrainTypeString AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
      AND ifnull(grain_id_extension_string, '''') = ifnull(@GrainIdExtensionString, '''');
');

INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('WriteToStorageKey', '
    UPDATE orleans_storage
    SET payload_binary = @PayloadBinary, version = version + 1, modified_on = strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now'')
    WHERE @GrainStateVersion IS NOT NULL AND version = @GrainStateVersion
      AND grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash AND service_id = @ServiceId
      AND grain_type_string = @GrainTypeString AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
      AND ifnull(grain_id_extension_string, '''') = ifnull(@GrainIdExtensionString, '''')
    RETURNING version AS NewGrainStateVersion;
    INSERT INTO orleans_storage (grain_id_hash, grain_id_n0, grain_id_n1, grain_type_hash, grain_type_string,
                                 grain_id_extension_string, service_id, payload_binary, modified_on, version)
    SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
           @GrainIdExtensionString, @ServiceId, @PayloadBinary, strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''), 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version AS NewGrainStateVersion;
');

INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('ClearStorageKey', '
    UPDATE orleans_storage
    SET payload_binary = NULL, version = version + 1, modified_on = strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now'')
    WHERE version = @GrainStateVersion
      AND grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash AND service_id = @ServiceId
      AND grain_type_string = @GrainTypeString AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
      AND ifnull(grain_id_extension_string, '''') = ifnull(@GrainIdExtensionString, '''')
    RETURNING version;
');
