-- The DDL steps of retention (functions package dev.huddle.retention, PartitionDatabase.dropSnapshotted),
-- as procedures of the owner: locking, detaching and dropping a table needs ownership or table privileges
-- that the retention role must not hold on anything else. Each accepts only a daily event partition name
-- in schema huddle, so the retention role can never lock, detach or drop another table. They run in the
-- caller's transaction: the caller's SET LOCAL lock_timeout applies, and a rollback undoes them.

-- The qualified daily event partition named p_partition (huddle.<parent>_pYYYYMMDD), or an error.
CREATE OR REPLACE FUNCTION huddle_api.event_partition(p_partition text)
    RETURNS regclass
    LANGUAGE plpgsql
    STABLE
AS $$
DECLARE
    v_table regclass;
BEGIN
    IF p_partition IS NULL OR p_partition !~ '^(progress_events|analytics_events)_p\d{8}$' THEN
        RAISE EXCEPTION 'not a daily event partition: %', p_partition USING ERRCODE = '22023';
    END IF;
    v_table := to_regclass(format('huddle.%I', p_partition));
    IF v_table IS NULL THEN
        RAISE EXCEPTION 'no such partition: huddle.%', p_partition USING ERRCODE = '42P01';
    END IF;
    RETURN v_table;
END;
$$;

-- SHARE mode: blocks every writer of the partition until the caller's commit.
CREATE OR REPLACE FUNCTION huddle_api.lock_event_partition(p_partition text)
    RETURNS void
    LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    EXECUTE format('LOCK TABLE %s IN SHARE MODE', huddle_api.event_partition(p_partition));
END;
$$;

CREATE OR REPLACE FUNCTION huddle_api.detach_event_partition(p_parent text, p_partition text)
    RETURNS void
    LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF p_parent IS NULL OR p_partition NOT LIKE p_parent || '\_p%' THEN
        RAISE EXCEPTION 'partition % is not of table %', p_partition, p_parent USING ERRCODE = '22023';
    END IF;
    EXECUTE format('ALTER TABLE huddle.%I DETACH PARTITION %s', p_parent, huddle_api.event_partition(p_partition));
END;
$$;

CREATE OR REPLACE FUNCTION huddle_api.drop_event_partition(p_partition text)
    RETURNS void
    LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    EXECUTE format('DROP TABLE %s', huddle_api.event_partition(p_partition));
END;
$$;
