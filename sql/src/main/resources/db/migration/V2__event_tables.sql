-- The event logs: every accepted progress and analytics event, once.
--
-- Both tables are partitioned by UTC day on occurred_at, so retention drops whole partitions (no
-- DELETE, no vacuum debt) and rollups read one day at a time.
--
-- Idempotency. The key is (user_id, event_id, occurred_at). PostgreSQL only enforces a unique index on a
-- partitioned table when the index contains the partition key, because each partition checks its own
-- rows; so occurred_at is part of the key. That does not weaken it: a retry carries the same eventId AND
-- the same occurredAt (clients resend the stored event), so it lands in the same daily partition however
-- many days later it arrives, and ON CONFLICT sees the original there. Events older than the retention
-- window are refused before they reach the database (occurredAt_too_old), and only then could a retry
-- find its original's partition dropped.
--
-- No foreign keys: the procedures resolve org, course and lesson before inserting, and a log that
-- outlives catalogue changes must not block them (or cost a lookup per row on the hot path).

CREATE SEQUENCE huddle.progress_events_seq;
CREATE SEQUENCE huddle.analytics_events_seq;

CREATE TABLE huddle.progress_events (
    event_id           text COLLATE "C" NOT NULL,
    user_id            text COLLATE "C" NOT NULL,
    org_id             text COLLATE "C" NOT NULL,
    course_id          text COLLATE "C" NOT NULL,
    lesson_id          text COLLATE "C" NOT NULL,
    type               text NOT NULL CHECK (type IN ('lesson_progress', 'lesson_completed')),
    progress_percent   numeric(5, 2) NOT NULL CHECK (progress_percent BETWEEN 0 AND 100),
    time_spent_seconds integer NOT NULL CHECK (time_spent_seconds >= 0),
    occurred_at        timestamptz NOT NULL,
    received_at        timestamptz NOT NULL DEFAULT now(),
    -- Ingest order (not commit order): rollups read "everything after seq N" per partition.
    seq                bigint NOT NULL DEFAULT nextval('huddle.progress_events_seq'),
    PRIMARY KEY (user_id, event_id, occurred_at)
) PARTITION BY RANGE (occurred_at);
ALTER SEQUENCE huddle.progress_events_seq OWNED BY huddle.progress_events.seq;

CREATE TABLE huddle.analytics_events (
    event_id    text COLLATE "C" NOT NULL,
    user_id     text COLLATE "C" NOT NULL,
    org_id      text COLLATE "C" NOT NULL,
    course_id   text COLLATE "C",
    lesson_id   text COLLATE "C",
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    properties  jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(properties) = 'object'),
    occurred_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    seq         bigint NOT NULL DEFAULT nextval('huddle.analytics_events_seq'),
    PRIMARY KEY (user_id, event_id, occurred_at)
) PARTITION BY RANGE (occurred_at);
ALTER SEQUENCE huddle.analytics_events_seq OWNED BY huddle.analytics_events.seq;

-- Safety net: an event for a day without its partition (clock skew, a missed partition job) is stored
-- instead of failing the whole batch. ensure_event_partitions moves such rows out when the day's
-- partition is created.
CREATE TABLE huddle.progress_events_default PARTITION OF huddle.progress_events DEFAULT;
CREATE TABLE huddle.analytics_events_default PARTITION OF huddle.analytics_events DEFAULT;

-- Creates the missing daily partitions (<table>_pYYYYMMDD, UTC days) of both event tables for
-- p_from .. p_to inclusive and returns how many it created. Idempotent, and safe to run concurrently
-- (a transaction-scoped advisory lock serialises callers).
--
-- If the DEFAULT partition already holds rows of a day being created, CREATE TABLE ... PARTITION OF
-- would fail (the default's implicit constraint would be violated), so the partition is built as a
-- plain table, the rows are moved into it, and it is attached - all in the caller's transaction, so no
-- reader sees the rows missing.
CREATE FUNCTION huddle.ensure_event_partitions(p_from date, p_to date)
    RETURNS integer
    LANGUAGE plpgsql
AS $$
DECLARE
    v_parent  text;
    v_day     date;
    v_name    text;
    v_lower   timestamptz;
    v_upper   timestamptz;
    v_created integer := 0;
BEGIN
    IF p_from IS NULL OR p_to IS NULL OR p_to < p_from THEN
        RAISE EXCEPTION 'ensure_event_partitions: need p_from <= p_to, got % .. %', p_from, p_to;
    END IF;
    -- (int, int) advisory keys never collide with the bigint keys the procedures use.
    PERFORM pg_advisory_xact_lock(20261128, 1);

    FOREACH v_parent IN ARRAY ARRAY['progress_events', 'analytics_events'] LOOP
        FOR v_day IN SELECT d::date FROM generate_series(p_from, p_to, interval '1 day') AS d LOOP
            v_name := format('%s_p%s', v_parent, to_char(v_day, 'YYYYMMDD'));
            CONTINUE WHEN to_regclass(format('huddle.%I', v_name)) IS NOT NULL;

            v_lower := v_day::timestamp AT TIME ZONE 'UTC';
            v_upper := (v_day + 1)::timestamp AT TIME ZONE 'UTC';
            EXECUTE format('CREATE TABLE huddle.%I (LIKE huddle.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
                           v_name, v_parent);
            EXECUTE format('WITH moved AS (DELETE FROM huddle.%I WHERE occurred_at >= $1 AND occurred_at < $2 '
                           'RETURNING *) INSERT INTO huddle.%I SELECT * FROM moved',
                           v_parent || '_default', v_name)
                USING v_lower, v_upper;
            EXECUTE format('ALTER TABLE huddle.%I ATTACH PARTITION huddle.%I FOR VALUES FROM (%L) TO (%L)',
                           v_parent, v_name, v_lower, v_upper);
            v_created := v_created + 1;
        END LOOP;
    END LOOP;
    RETURN v_created;
END;
$$;

COMMENT ON FUNCTION huddle.ensure_event_partitions(date, date) IS
    'Creates missing daily partitions of progress_events and analytics_events for p_from..p_to (UTC days), moving matching rows out of the DEFAULT partitions.';

-- The window the API accepts: the retention period (30 days) behind, two weeks ahead.
SELECT huddle.ensure_event_partitions(((now() AT TIME ZONE 'UTC')::date - 31),
                                      ((now() AT TIME ZONE 'UTC')::date + 14));
