-- Orleans' ADO.NET clustering (silos and gateway clients) loads every OrleansQuery row and needs the nine keys below.
-- Bound parameters: @DeploymentId (the cluster id), @Address, @Port, @Generation (a silo), @SiloName, @HostName,
-- @Status (SiloStatus: 3 Active, 6 Dead), @ProxyPort (gateway port), @StartTime, @IAmAliveTime, @SuspectTimes and
-- @Version (the membership table version the caller read). Reads return one row per silo, always plus the version:
-- the version row is left-joined so that an empty cluster still answers with one row whose StartTime is NULL.
-- Writes answer one boolean: whether the change was made. A write made against a stale @Version changes nothing.
CREATE TABLE IF NOT EXISTS orleans_membership_version (
    deployment_id text        PRIMARY KEY,
    changed_on    timestamptz NOT NULL,
    version       integer     NOT NULL
);

CREATE TABLE IF NOT EXISTS orleans_membership (
    deployment_id   text        NOT NULL REFERENCES orleans_membership_version (deployment_id),
    address         text        NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,
    proxy_port      integer     NULL,
    suspect_times   text        NULL,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

-- A membership change applies only against the version its caller read: this bumps the version if it still is
-- @Version and says whether it did. A concurrent writer with the same version waits on the row's lock, then finds
-- the version moved on and changes nothing.
CREATE OR REPLACE FUNCTION orleans_membership_bump(p_deployment_id text, p_version integer) RETURNS boolean
LANGUAGE sql VOLATILE AS $fn$
    UPDATE orleans_membership_version SET version = version + 1, changed_on = now()
    WHERE deployment_id = p_deployment_id AND version = p_version
    RETURNING true
$fn$;

-- The members of a cluster as Orleans reads them (all, or the one silo named), always with the version row: an
-- empty answer would have no version.
CREATE OR REPLACE FUNCTION orleans_membership_rows(p_deployment_id text, p_address text, p_port integer, p_generation integer)
RETURNS TABLE ("DeploymentId" text, "Address" text, "Port" integer, "Generation" integer, "SiloName" text,
               "HostName" text, "Status" integer, "ProxyPort" integer, "SuspectTimes" text, "StartTime" timestamptz,
               "IAmAliveTime" timestamptz, "Version" integer)
LANGUAGE sql STABLE AS $fn$
    SELECT v.deployment_id, m.address, m.port, m.generation, m.silo_name, m.host_name, m.status, m.proxy_port,
           m.suspect_times, m.start_time, m.i_am_alive_time, v.version
    FROM orleans_membership_version v
    LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
        AND (p_address IS NULL OR (m.address = p_address AND m.port = p_port AND m.generation = p_generation))
    WHERE v.deployment_id = p_deployment_id
$fn$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipVersionKey', $sql$
    WITH created AS (
        INSERT INTO orleans_membership_version (deployment_id, changed_on, version)
        VALUES (@DeploymentId, now(), 0)
        ON CONFLICT DO NOTHING
        RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM created)
$sql$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- The version is bumped first; the member is written only if that happened.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipKey', $sql$
    WITH bumped AS (
        SELECT orleans_membership_bump(@DeploymentId, @Version) AS done
    ), inserted AS (
        INSERT INTO orleans_membership (deployment_id, address, port, generation, silo_name, host_name, status,
                                        proxy_port, start_time, i_am_alive_time)
        SELECT @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status,
               @ProxyPort, @StartTime, @IAmAliveTime
        WHERE (SELECT done FROM bumped)
        ON CONFLICT DO NOTHING
        RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM inserted)
$sql$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateMembershipKey', $sql$
    WITH bumped AS (
        SELECT orleans_membership_bump(@DeploymentId, @Version) AS done
    ), updated AS (
        UPDATE orleans_membership
        SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = @IAmAliveTime
        WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
          AND (SELECT done FROM bumped)
        RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM updated)
$sql$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Liveness heartbeats do not change the table version: they are not membership changes.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateIAmAlivetimeKey', $sql$
    UPDATE orleans_membership SET i_am_alive_time = @IAmAliveTime
    WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
$sql$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadAllKey', $sql$
    SELECT * FROM orleans_membership_rows(@DeploymentId, NULL, NULL, NULL)
$sql$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadRowKey', $sql$
    SELECT * FROM orleans_membership_rows(@DeploymentId, @Address, @Port, @Generation)
$sql$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('GatewaysQueryKey', $sql$
    SELECT address AS "Address", proxy_port AS "ProxyPort", generation AS "Generation"
    FROM orleans_membership
    WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0
$sql$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteMembershipTableEntriesKey', $sql$
    WITH members AS (
        DELETE FROM orleans_membership WHERE deployment_id = @DeploymentId
    )
    DELETE FROM orleans_membership_version WHERE deployment_id = @DeploymentId
$sql$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Forgets silos that stopped sending heartbeats before @IAmAliveTime and are no longer active.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntriesKey', $sql$
    DELETE FROM orleans_membership
    WHERE deployment_id = @DeploymentId AND i_am_alive_time < @IAmAliveTime AND status <> 3
$sql$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
