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

-- How many rows of one event partition the rollups have not read yet: rows above their org's rollup
-- position (ingest_xid, seq) in rollup_cursors, or of an org with no position at all. Retention must not
-- drop them: the rollups would never count them. Returns NULL when the rollup tables do not exist
-- (V3__rollups.sql not applied): there is then nothing to wait for, and the caller reports the check as
-- skipped. Dynamic SQL, so the function compiles whether or not those tables and columns exist.
CREATE OR REPLACE FUNCTION huddle_api.unrolled_event_count(p_partition text)
    RETURNS bigint
    LANGUAGE plpgsql
    STABLE
AS $$
DECLARE
    v_source text;
    v_count  bigint;
BEGIN
    IF to_regclass('huddle.rollup_cursors') IS NULL THEN
        RETURN NULL;
    END IF;
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
