-- Helpers of run_rollup_job. Plain SQL functions that PostgreSQL inlines into the calling statement
-- (STABLE, one SELECT, no SET clause), so they add neither round trips nor plans: the statements read
-- the same index ranges as if the SQL were written out.

-- The next positions of one org after its cursors and below the horizon, in (ingest_xid, seq) order, at
-- most p_limit per table: the candidates of a job's chunk.
CREATE OR REPLACE FUNCTION huddle_api.rollup_next_positions(p_org_id text, p_horizon xid8, p_limit integer,
        p_progress_xid xid8, p_progress_seq bigint, p_analytics_xid xid8, p_analytics_seq bigint)
    RETURNS TABLE (source text, ingest_xid xid8, seq bigint)
    LANGUAGE sql
    STABLE
AS $$
    (SELECT 'progress', e.ingest_xid, e.seq FROM huddle.progress_events e
      WHERE e.org_id = p_org_id AND (e.ingest_xid, e.seq) > (p_progress_xid, p_progress_seq)
        AND e.ingest_xid < p_horizon ORDER BY e.ingest_xid, e.seq LIMIT p_limit)
    UNION ALL
    (SELECT 'analytics', e.ingest_xid, e.seq FROM huddle.analytics_events e
      WHERE e.org_id = p_org_id AND (e.ingest_xid, e.seq) > (p_analytics_xid, p_analytics_seq)
        AND e.ingest_xid < p_horizon ORDER BY e.ingest_xid, e.seq LIMIT p_limit)
$$;

-- One org's progress events after (p_from_xid, p_from_seq) up to and including (p_to_xid, p_to_seq): the
-- progress part of a job's chunk, which three statements of the job read.
CREATE OR REPLACE FUNCTION huddle_api.rollup_progress_range(p_org_id text, p_from_xid xid8, p_from_seq bigint,
        p_to_xid xid8, p_to_seq bigint)
    RETURNS SETOF huddle.progress_events
    LANGUAGE sql
    STABLE
AS $$
    SELECT * FROM huddle.progress_events e
     WHERE e.org_id = p_org_id AND (e.ingest_xid, e.seq) > (p_from_xid, p_from_seq)
       AND (e.ingest_xid, e.seq) <= (p_to_xid, p_to_seq)
$$;

-- run_rollup_job: rolls up the next events of one org, in the caller's transaction.
--
-- Returns processed (events folded in) and has_more (events below the horizon are still waiting: queue
-- the next job). The caller commits; the rollups and the cursors move together or not at all.
--
-- Steps (each a statement that reads only the chunk's range through the (org_id, ingest_xid, seq)
-- indexes, so the cost follows the new events, never the size of the tables):
--   1. The horizon: pg_snapshot_xmin of the current snapshot. Every transaction with a smaller xid has
--      finished, so the committed rows below it are final (see V3 for why not a sequence position).
--   2. Lock the org's two cursor rows (created on the first job): a second job of the same org waits,
--      then starts from where this one ended.
--   3. Find the chunk: the next p_max_events rows of both tables after the cursors, below the horizon,
--      in (ingest_xid, seq) order. It is described by its end position per table; later statements
--      select "after the old cursor, up to the new one".
--   4. Fold the chunk in, set-based: the distinct learners into org_daily_learners first, then the
--      counts - events, time spent, and active learners from what the set newly gained.
--   5. Completions: for the (learner, lesson) and (learner, course) pairs the chunk touched, make the
--      completion sets match the progress tables (completed_at's UTC day), counting what moved.
--   6. Advance the cursors.
CREATE OR REPLACE FUNCTION huddle_api.run_rollup_job(p_org_id text, p_max_events integer)
    RETURNS TABLE (processed integer, has_more boolean)
    LANGUAGE plpgsql
    -- A job touches at most p_max_events rows, but generic plans estimate parameterised range
    -- predicates on the whole (large) tables, which can cross jit_above_cost on RDS (JIT on by default):
    -- compiling would then cost more than the job. (Not measured: the embedded test server has no LLVM.)
    SET jit = off
AS $$
#variable_conflict use_column
DECLARE
    v_horizon    xid8;
    v_p_from_xid xid8;
    v_p_from_seq bigint;
    v_a_from_xid xid8;
    v_a_from_seq bigint;
    v_p_to_xid   xid8;
    v_p_to_seq   bigint;
    v_a_to_xid   xid8;
    v_a_to_seq   bigint;
    v_processed  integer;
    v_has_more   boolean;
BEGIN
    IF p_org_id IS NULL OR p_max_events IS NULL OR p_max_events < 1 THEN
        RAISE EXCEPTION 'run_rollup_job: p_org_id must be set and p_max_events >= 1' USING ERRCODE = '22023';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM huddle.orgs o WHERE o.org_id = p_org_id) THEN
        RAISE EXCEPTION 'run_rollup_job: unknown org %', p_org_id USING ERRCODE = 'P0002';
    END IF;

    -- 1. Before this transaction takes an xid of its own (the cursor lock below does).
    v_horizon := pg_snapshot_xmin(pg_current_snapshot());

    -- 2.
    INSERT INTO huddle.rollup_cursors (org_id, source)
    VALUES (p_org_id, 'progress'), (p_org_id, 'analytics')
    ON CONFLICT DO NOTHING;
    SELECT c.last_xid, c.last_seq INTO v_p_from_xid, v_p_from_seq
      FROM huddle.rollup_cursors c WHERE c.org_id = p_org_id AND c.source = 'progress' FOR UPDATE;
    SELECT c.last_xid, c.last_seq INTO v_a_from_xid, v_a_from_seq
      FROM huddle.rollup_cursors c WHERE c.org_id = p_org_id AND c.source = 'analytics' FOR UPDATE;

    -- 3. One row more than the limit tells whether a backlog remains.
    WITH merged AS (
        -- Any merge order works as long as each table's rows stay in (ingest_xid, seq) order: the
        -- chunk then takes a prefix of each table.
        SELECT m.*, row_number() OVER (ORDER BY m.ingest_xid, m.seq, m.source) AS rn
          FROM huddle_api.rollup_next_positions(p_org_id, v_horizon, p_max_events + 1,
                   v_p_from_xid, v_p_from_seq, v_a_from_xid, v_a_from_seq) m
    ), chunk AS (
        SELECT * FROM merged WHERE rn <= p_max_events
    )
    SELECT (SELECT count(*) FROM chunk),
           (SELECT count(*) > p_max_events FROM merged),
           (SELECT c.ingest_xid FROM chunk c WHERE c.source = 'progress' ORDER BY c.rn DESC LIMIT 1),
           (SELECT c.seq FROM chunk c WHERE c.source = 'progress' ORDER BY c.rn DESC LIMIT 1),
           (SELECT c.ingest_xid FROM chunk c WHERE c.source = 'analytics' ORDER BY c.rn DESC LIMIT 1),
           (SELECT c.seq FROM chunk c WHERE c.source = 'analytics' ORDER BY c.rn DESC LIMIT 1)
      INTO v_processed, v_has_more, v_p_to_xid, v_p_to_seq, v_a_to_xid, v_a_to_seq;

    IF v_processed = 0 THEN
        RETURN QUERY SELECT 0, false;
        RETURN;
    END IF;
    -- A table without rows in the chunk keeps its position (an empty range below).
    v_p_to_xid := coalesce(v_p_to_xid, v_p_from_xid);
    v_p_to_seq := coalesce(v_p_to_seq, v_p_from_seq);
    v_a_to_xid := coalesce(v_a_to_xid, v_a_from_xid);
    v_a_to_seq := coalesce(v_a_to_seq, v_a_from_seq);

    -- 4. Learners first (the set), then every count in one upsert per table. ev: the chunk's events of
    --    both tables, name = the progress type or the analytics event name.
    WITH ev AS (
        SELECT 'progress' AS source, e.user_id, e.type AS name, e.time_spent_seconds,
               (e.occurred_at AT TIME ZONE 'UTC')::date AS day
          FROM huddle_api.rollup_progress_range(p_org_id, v_p_from_xid, v_p_from_seq, v_p_to_xid, v_p_to_seq) e
        UNION ALL
        SELECT 'analytics', e.user_id, e.name, 0, (e.occurred_at AT TIME ZONE 'UTC')::date
          FROM huddle.analytics_events e
         WHERE e.org_id = p_org_id AND (e.ingest_xid, e.seq) > (v_a_from_xid, v_a_from_seq)
           AND (e.ingest_xid, e.seq) <= (v_a_to_xid, v_a_to_seq)
    ), new_learners AS (
        INSERT INTO huddle.org_daily_learners (org_id, day, user_id)
        SELECT DISTINCT p_org_id, ev.day, ev.user_id FROM ev
        ON CONFLICT DO NOTHING
        RETURNING day
    ), event_counts AS (
        INSERT INTO huddle.org_daily_event_counts AS c (org_id, day, source, name, count)
        SELECT p_org_id, ev.day, ev.source, ev.name, count(*) FROM ev GROUP BY ev.day, ev.source, ev.name
        ON CONFLICT (org_id, day, source, name) DO UPDATE SET count = c.count + excluded.count
    ), deltas AS (
        SELECT ev.day, count(*) AS events, sum(ev.time_spent_seconds) AS time_spent, 0 AS learners
          FROM ev GROUP BY ev.day
        UNION ALL
        SELECT nl.day, 0, 0, count(*) FROM new_learners nl GROUP BY nl.day
    )
    INSERT INTO huddle.org_daily_rollups AS r
           (org_id, day, active_learners, time_spent_seconds, events_total, updated_at)
    SELECT p_org_id, d.day, sum(d.learners), sum(d.time_spent), sum(d.events), now()
      FROM deltas d
     GROUP BY d.day
    ON CONFLICT (org_id, day) DO UPDATE SET
           active_learners    = r.active_learners + excluded.active_learners,
           time_spent_seconds = r.time_spent_seconds + excluded.time_spent_seconds,
           events_total       = r.events_total + excluded.events_total,
           updated_at         = excluded.updated_at;

    -- 5. Lessons: a lesson_completed event is what can set or move a lesson's completed_at. Courses: any
    --    event of a (learner, course) can complete it (its last lesson) or, when the catalogue grew, make
    --    it incomplete again. First remove the touched pairs' completions that are on another day than
    --    the progress tables now say...
    WITH touched AS (
        SELECT e.user_id, e.lesson_id, e.course_id, e.type
          FROM huddle_api.rollup_progress_range(p_org_id, v_p_from_xid, v_p_from_seq, v_p_to_xid, v_p_to_seq) e
    ), removed_lessons AS (
        DELETE FROM huddle.org_daily_lesson_completions c
         USING (SELECT DISTINCT t.user_id, t.lesson_id FROM touched t WHERE t.type = 'lesson_completed') t
         WHERE c.org_id = p_org_id AND c.user_id = t.user_id AND c.lesson_id = t.lesson_id
           AND NOT EXISTS (SELECT 1 FROM huddle.user_lesson_progress p
                            WHERE (p.user_id, p.lesson_id, p.org_id) = (c.user_id, c.lesson_id, p_org_id)
                              AND (p.completed_at AT TIME ZONE 'UTC')::date = c.day)
        RETURNING c.day, 1 AS lessons, 0 AS courses
    ), removed_courses AS (
        DELETE FROM huddle.org_daily_course_completions c
         USING (SELECT DISTINCT t.user_id, t.course_id FROM touched t) t
         WHERE c.org_id = p_org_id AND c.user_id = t.user_id AND c.course_id = t.course_id
           AND NOT EXISTS (SELECT 1 FROM huddle.user_course_progress p
                            WHERE (p.user_id, p.course_id, p.org_id) = (c.user_id, c.course_id, p_org_id)
                              AND (p.completed_at AT TIME ZONE 'UTC')::date = c.day)
        RETURNING c.day, 0 AS lessons, 1 AS courses
    )
    UPDATE huddle.org_daily_rollups r
       SET lessons_completed = r.lessons_completed - m.lessons,
           courses_completed = r.courses_completed - m.courses,
           updated_at        = now()
      FROM (SELECT x.day, sum(x.lessons) AS lessons, sum(x.courses) AS courses
              FROM (SELECT * FROM removed_lessons UNION ALL SELECT * FROM removed_courses) x
             GROUP BY x.day) m
     WHERE r.org_id = p_org_id AND r.day = m.day;

    --    ... then add the ones missing (a separate statement: it must see the deletions).
    WITH touched AS (
        SELECT e.user_id, e.lesson_id, e.course_id, e.type
          FROM huddle_api.rollup_progress_range(p_org_id, v_p_from_xid, v_p_from_seq, v_p_to_xid, v_p_to_seq) e
    ), added_lessons AS (
        INSERT INTO huddle.org_daily_lesson_completions (org_id, day, user_id, lesson_id)
        SELECT p_org_id, (p.completed_at AT TIME ZONE 'UTC')::date, p.user_id, p.lesson_id
          FROM (SELECT DISTINCT t.user_id, t.lesson_id FROM touched t WHERE t.type = 'lesson_completed') t
          JOIN huddle.user_lesson_progress p ON p.user_id = t.user_id AND p.lesson_id = t.lesson_id
         WHERE p.org_id = p_org_id AND p.completed
        ON CONFLICT DO NOTHING
        RETURNING day, 1 AS lessons, 0 AS courses
    ), added_courses AS (
        INSERT INTO huddle.org_daily_course_completions (org_id, day, user_id, course_id)
        SELECT p_org_id, (p.completed_at AT TIME ZONE 'UTC')::date, p.user_id, p.course_id
          FROM (SELECT DISTINCT t.user_id, t.course_id FROM touched t) t
          JOIN huddle.user_course_progress p ON p.user_id = t.user_id AND p.course_id = t.course_id
         WHERE p.org_id = p_org_id AND p.completed_at IS NOT NULL
        ON CONFLICT DO NOTHING
        RETURNING day, 0 AS lessons, 1 AS courses
    )
    INSERT INTO huddle.org_daily_rollups AS r (org_id, day, lessons_completed, courses_completed, updated_at)
    SELECT p_org_id, a.day, sum(a.lessons), sum(a.courses), now()
      FROM (SELECT * FROM added_lessons UNION ALL SELECT * FROM added_courses) a
     GROUP BY a.day
    ON CONFLICT (org_id, day) DO UPDATE SET
           lessons_completed = r.lessons_completed + excluded.lessons_completed,
           courses_completed = r.courses_completed + excluded.courses_completed,
           updated_at        = excluded.updated_at;

    -- 6.
    UPDATE huddle.rollup_cursors c
       SET last_xid   = CASE c.source WHEN 'progress' THEN v_p_to_xid ELSE v_a_to_xid END,
           last_seq   = CASE c.source WHEN 'progress' THEN v_p_to_seq ELSE v_a_to_seq END,
           updated_at = now()
     WHERE c.org_id = p_org_id;

    RETURN QUERY SELECT v_processed, v_has_more;
END;
$$;

COMMENT ON FUNCTION huddle_api.run_rollup_job(text, integer) IS
    'Rolls up the next p_max_events events of one org below the snapshot horizon, in the caller''s transaction; returns (processed, has_more).';

-- The orgs whose events go beyond their rollup cursor (below the horizon): what the scheduled sweep
-- queues jobs for, so that no event depends on one fan-out message arriving. One short index probe per
-- org and table ("is there a row after the cursor?").
CREATE OR REPLACE FUNCTION huddle_api.orgs_with_pending_rollups()
    RETURNS TABLE (org_id text)
    LANGUAGE sql
    STABLE
AS $$
    SELECT o.org_id
      FROM huddle.orgs o
      LEFT JOIN huddle.rollup_cursors p ON p.org_id = o.org_id AND p.source = 'progress'
      LEFT JOIN huddle.rollup_cursors a ON a.org_id = o.org_id AND a.source = 'analytics'
     WHERE EXISTS (SELECT 1 FROM huddle.progress_events e
                    WHERE e.org_id = o.org_id
                      AND (e.ingest_xid, e.seq) > (coalesce(p.last_xid, '0'::xid8), coalesce(p.last_seq, 0)))
        OR EXISTS (SELECT 1 FROM huddle.analytics_events e
                    WHERE e.org_id = o.org_id
                      AND (e.ingest_xid, e.seq) > (coalesce(a.last_xid, '0'::xid8), coalesce(a.last_seq, 0)))
     ORDER BY o.org_id
$$;

-- How long the oldest event not yet rolled up has waited, in whole seconds (0 when nothing waits): what
-- health reports as rollups.oldestAgeSeconds. Per org and table it reads the first row after the cursor in
-- (ingest_xid, seq) order - one short index probe per daily partition of the (org_id, ingest_xid, seq)
-- indexes, so its cost follows orgs and partitions, never rows (measured: ~4-8 ms for 13 orgs, ~45
-- partitions per table, 1M rows). The first row in xid order is the one whose transaction started first,
-- so its received_at (the transaction's start) is the oldest of the org's waiting events.
-- plpgsql, not sql: a non-inlined SQL function body is planned again on every call (PostgreSQL 17), and
-- planning this query over every partition cost more than running it; plpgsql keeps the plan per session.
CREATE OR REPLACE FUNCTION huddle_api.rollup_lag()
    RETURNS bigint
    LANGUAGE plpgsql
    STABLE
AS $$
BEGIN
    RETURN (
        SELECT coalesce(floor(extract(epoch FROM now() - min(w.received_at)))::bigint, 0)
          FROM huddle.orgs o
          LEFT JOIN huddle.rollup_cursors p ON p.org_id = o.org_id AND p.source = 'progress'
          LEFT JOIN huddle.rollup_cursors a ON a.org_id = o.org_id AND a.source = 'analytics'
         CROSS JOIN LATERAL (
               (SELECT e.received_at FROM huddle.progress_events e
                 WHERE e.org_id = o.org_id
                   AND (e.ingest_xid, e.seq) > (coalesce(p.last_xid, '0'::xid8), coalesce(p.last_seq, 0))
                 ORDER BY e.ingest_xid, e.seq LIMIT 1)
               UNION ALL
               (SELECT e.received_at FROM huddle.analytics_events e
                 WHERE e.org_id = o.org_id
                   AND (e.ingest_xid, e.seq) > (coalesce(a.last_xid, '0'::xid8), coalesce(a.last_seq, 0))
                 ORDER BY e.ingest_xid, e.seq LIMIT 1)
           ) w);
END;
$$;

COMMENT ON FUNCTION huddle_api.rollup_lag() IS
    'Seconds the oldest event not yet rolled up has waited (0 when none); one index probe per org, table and partition.';
