-- Read-only helpers of the retention job (functions package dev.huddle.retention). The job itself
-- (COPY out, upload, verify, DETACH + DROP) runs from Java, step by step, so that a crash between any
-- two steps leaves a state the next run recognises.

-- The daily event partitions of days before p_before (UTC), attached or not: a table named
-- <parent>_pYYYYMMDD in schema huddle. A partition that was detached but not dropped (a crash in
-- an older version, an operator's manual DETACH) is still listed, so its rows are snapshotted before
-- it goes too. The DEFAULT partitions never match the name pattern.
CREATE OR REPLACE FUNCTION huddle_api.retention_partitions(p_before date)
    RETURNS TABLE(parent_table text, partition_name text, day date, attached boolean)
    LANGUAGE sql
    STABLE
AS $$
    SELECT m[1], c.relname::text, to_date(m[2], 'YYYYMMDD'), c.relispartition
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'huddle'
     CROSS JOIN LATERAL regexp_match(c.relname, '^(progress_events|analytics_events)_p(\d{8})$') AS m
     WHERE c.relkind = 'r'
       AND to_date(m[2], 'YYYYMMDD') < p_before
     ORDER BY 3, 1
$$;

-- Rows stranded in the DEFAULT partitions (their day's partition did not exist when they were inserted,
-- e.g. the partition job stalled) for days before p_before, per table and UTC day: retention materialises
-- each such day with ensure_event_partitions, which moves the rows into the day's new partition, and then
-- retires that partition like any other. partition_name is the name ensure_event_partitions gives it;
-- unrolled_count is what unrolled_event_count will find there (for the dry run, which moves nothing).
-- DEFAULT is expected to be empty or small: one sequential scan of it (no index leads with occurred_at,
-- and the ingest path should not pay for one on a table that is normally empty).
CREATE OR REPLACE FUNCTION huddle_api.retention_default_rows(p_before date)
    RETURNS TABLE(parent_table text, partition_name text, day date, row_count bigint, unrolled_count bigint)
    LANGUAGE sql
    STABLE
AS $$
    WITH stranded AS (
        SELECT 'progress_events' AS parent_table, 'progress' AS source, e.org_id, e.ingest_xid, e.seq,
               (e.occurred_at AT TIME ZONE 'UTC')::date AS day
          FROM huddle.progress_events_default e
         WHERE e.occurred_at < p_before::timestamp AT TIME ZONE 'UTC'
        UNION ALL
        SELECT 'analytics_events', 'analytics', e.org_id, e.ingest_xid, e.seq,
               (e.occurred_at AT TIME ZONE 'UTC')::date
          FROM huddle.analytics_events_default e
         WHERE e.occurred_at < p_before::timestamp AT TIME ZONE 'UTC'
    )
    SELECT s.parent_table, format('%s_p%s', s.parent_table, to_char(s.day, 'YYYYMMDD')), s.day, count(*),
           count(*) FILTER (WHERE c.org_id IS NULL OR (s.ingest_xid, s.seq) > (c.last_xid, c.last_seq))
      FROM stranded s
      LEFT JOIN huddle.rollup_cursors c ON c.org_id = s.org_id AND c.source = s.source
     GROUP BY s.parent_table, s.day
     ORDER BY s.day, s.parent_table
$$;

-- How many rows of one event partition the rollups have not read yet: rows above their org's rollup
-- position (ingest_xid, seq) in rollup_cursors, or of an org with no position at all. Retention must not
-- drop them: the rollups would never count them. Dynamic SQL: the partition is named at run time.
CREATE OR REPLACE FUNCTION huddle_api.unrolled_event_count(p_partition text)
    RETURNS bigint
    LANGUAGE plpgsql
    STABLE
AS $$
DECLARE
    v_source text;
    v_count  bigint;
BEGIN
    v_source := CASE WHEN p_partition LIKE 'progress\_events\_p%' THEN 'progress'
                     WHEN p_partition LIKE 'analytics\_events\_p%' THEN 'analytics' END;
    IF v_source IS NULL THEN
        RAISE EXCEPTION 'unrolled_event_count: % is not an event partition', p_partition;
    END IF;
    EXECUTE format('SELECT count(*) FROM huddle.%I e '
                   'LEFT JOIN huddle.rollup_cursors c ON c.org_id = e.org_id AND c.source = $1 '
                   'WHERE c.org_id IS NULL OR (e.ingest_xid, e.seq) > (c.last_xid, c.last_seq)', p_partition)
        INTO v_count
        USING v_source;
    RETURN v_count;
END;
$$;

-- Takes, or renews, job p_job's lease for p_holder until now() + p_ttl: when nobody holds it, when the
-- holder's lease ran out (a crashed run), or when p_holder holds it already. True when p_holder holds it
-- now. One statement, committed by the caller's autocommit: two runs racing serialise on the row.
CREATE OR REPLACE FUNCTION huddle_api.try_take_job_lease(p_job text, p_holder text, p_ttl interval)
    RETURNS boolean
    LANGUAGE sql
    VOLATILE
AS $$
    WITH taken AS (
        INSERT INTO huddle.job_leases AS l (job, holder, expires_at)
        VALUES (p_job, p_holder, now() + p_ttl)
        ON CONFLICT (job) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE l.expires_at < now() OR l.holder = excluded.holder
        RETURNING 1)
    SELECT count(*) > 0 FROM taken
$$;

-- Gives job p_job's lease back, if p_holder still holds it (a run that outlived its lease frees nothing).
CREATE OR REPLACE FUNCTION huddle_api.release_job_lease(p_job text, p_holder text)
    RETURNS void
    LANGUAGE sql
    VOLATILE
AS $$
    DELETE FROM huddle.job_leases WHERE job = p_job AND holder = p_holder
$$;

-- Forgets the analytics event names of days before p_before (huddle.org_event_names, V6): ingest refuses
-- events that old (their occurredAt is outside the window), so no bound is ever checked against those days
-- again, and without this the table would grow by up to (orgs x bound) rows a day forever. Returns the rows
-- deleted. The primary key leads with org_id, so this is a scan of the whole table: cheap, because nightly
-- runs keep it to the days of the window (at most orgs x bound rows per day), and it runs once a night.
CREATE OR REPLACE FUNCTION huddle_api.prune_org_event_names(p_before date)
    RETURNS bigint
    LANGUAGE sql
    VOLATILE
AS $$
    WITH gone AS (DELETE FROM huddle.org_event_names WHERE day < p_before RETURNING 1)
    SELECT count(*) FROM gone
$$;
