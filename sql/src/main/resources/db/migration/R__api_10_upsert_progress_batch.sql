-- upsert_progress_batch: one database call per progress batch (contract: openapi.yaml, operations
-- ingestProgressBatch and ingestProgressEvent, schemas ProgressEvent and BatchResult).
--
-- p_events is a JSON array of progress events already validated by the ingest Lambda. Returns one row
-- per element: idx (0-based position), event_id, status ('accepted' | 'duplicate' | 'rejected'),
-- reason (null | 'no_assignment' | 'unknown_lesson'), org_id (the event's org when accepted, else null).
--
-- Set-based: the same few statements whatever the batch size, no loop over events.
--   1. Lock: a transaction-scoped advisory lock per (learner, course) in the batch, in ascending key
--      order so two batches can never wait on each other in a cycle (no deadlock).
--   2. Write: parse, resolve org and lesson, insert the events (ON CONFLICT DO NOTHING is the dedupe),
--      merge only the newly inserted ones into user_lesson_progress, and produce the statuses.
--   3. Recompute user_course_progress for every (learner, course) of the batch from the lesson rows.
--   4. Record the client's queue depth when it changed.
--
-- Why the lock, and why in its own statement: under READ COMMITTED a statement sees rows committed
-- before it started. Two batches for the same learner and course committing at once would each
-- recompute the course from a snapshot without the other's lesson rows, and the later commit would
-- store a stale count. Holding the (learner, course) lock until commit serialises them; because each
-- later statement of this function takes a fresh snapshot, statements 2 and 3 see everything the
-- previous lock holder committed.
-- The return type gained org_id (the org of an accepted event: the ingest Lambda queues a rollup job
-- per org it wrote to), and CREATE OR REPLACE cannot change a return type.
DROP FUNCTION IF EXISTS huddle_api.upsert_progress_batch(text, jsonb, integer);

CREATE OR REPLACE FUNCTION huddle_api.upsert_progress_batch(
    p_user_id text,
    p_events jsonb,
    p_client_queue_depth integer DEFAULT NULL)
    RETURNS TABLE (idx integer, event_id text, status text, reason text, org_id text)
    LANGUAGE plpgsql
    -- The statements' plans do not depend on the parameter values, but with an array parameter the
    -- plan cache kept choosing a fresh custom plan for the course recompute on every call (measured
    -- with pg_stat_statements.track_planning: one plan per call, ~0.17 ms each). Always reuse the
    -- session's generic plans.
    SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
DECLARE
    v_courses   text[];
    v_lock_keys bigint[];
BEGIN
    IF p_user_id IS NULL OR jsonb_typeof(p_events) IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'upsert_progress_batch: p_user_id must be set and p_events must be a JSON array'
            USING ERRCODE = '22023';
    END IF;

    -- 1. Lock every (learner, course) the batch names, in key order.
    SELECT array_agg(DISTINCT e."courseId"),
           array_agg(DISTINCT huddle_api.course_progress_lock_key(p_user_id, e."courseId")
                     ORDER BY huddle_api.course_progress_lock_key(p_user_id, e."courseId"))
      INTO v_courses, v_lock_keys
      FROM jsonb_to_recordset(p_events) AS e("courseId" text)
     WHERE e."courseId" IS NOT NULL;
    -- unnest() yields the keys in array order, i.e. ascending.
    PERFORM pg_advisory_xact_lock(k) FROM unnest(v_lock_keys) AS k;

    -- 2. Store the new events, merge them into lesson progress, report a status per element.
    RETURN QUERY
    WITH input AS (
        -- Ids in the "C" collation of the id columns: byte-wise sorting and hashing (see V1).
        SELECT (e.ord - 1)::integer AS idx,
               e."eventId" COLLATE "C" AS event_id,
               e.type,
               e."courseId" COLLATE "C" AS course_id,
               e."lessonId" COLLATE "C" AS lesson_id,
               -- lesson_completed means 100 %, whatever (if anything) the client sent.
               CASE WHEN e.type = 'lesson_completed' THEN 100 ELSE coalesce(e."progressPercent", 0) END
                                    AS progress_percent,
               coalesce(e."timeSpentSeconds", 0) AS time_spent_seconds,
               e."occurredAt"       AS occurred_at
          FROM ROWS FROM (jsonb_to_recordset(p_events) AS ("eventId" text, type text, "courseId" text,
                          "lessonId" text, "progressPercent" numeric, "timeSpentSeconds" integer,
                          "occurredAt" timestamptz))
               WITH ORDINALITY AS e("eventId", type, "courseId", "lessonId", "progressPercent",
                                    "timeSpentSeconds", "occurredAt", ord)
    ), resolved AS (
        SELECT i.*,
               a.org_id,
               CASE WHEN a.org_id IS NULL THEN 'no_assignment'
                    WHEN l.lesson_id IS NULL THEN 'unknown_lesson'
               END AS reason
          FROM input i
          LEFT JOIN huddle.assignments a ON a.user_id = p_user_id AND a.course_id = i.course_id
          LEFT JOIN huddle.lessons l ON l.lesson_id = i.lesson_id AND l.course_id = i.course_id
    ), numbered AS (
        -- The first acceptable element of each key is the one to insert; a later copy of the same
        -- (eventId, occurredAt) in this array is a duplicate. (All rows are kept, flagged, so the
        -- planner's row estimates stay realistic and it joins the statuses by hash.)
        SELECT r.*,
               r.reason IS NULL
                   AND row_number() OVER (PARTITION BY r.reason IS NULL, r.event_id, r.occurred_at
                                          ORDER BY r.idx) = 1 AS first_copy
          FROM resolved r
    ), inserted AS (
        INSERT INTO huddle.progress_events AS pe
               (event_id, user_id, org_id, course_id, lesson_id, type, progress_percent,
                time_spent_seconds, occurred_at)
        SELECT c.event_id, p_user_id, c.org_id, c.course_id, c.lesson_id, c.type, c.progress_percent,
               c.time_spent_seconds, c.occurred_at
          FROM numbered c
         WHERE c.first_copy
         ORDER BY c.idx  -- so seq follows the array order
        ON CONFLICT (user_id, event_id, occurred_at) DO NOTHING
        RETURNING pe.event_id, pe.occurred_at, pe.org_id, pe.course_id, pe.lesson_id, pe.type,
                  pe.progress_percent, pe.time_spent_seconds
    ), lesson_delta AS (
        -- The order-independent merge of this batch's new events, per lesson.
        SELECT n.lesson_id,
               min(n.course_id)                                                 AS course_id,
               min(n.org_id)                                                    AS org_id,
               max(n.progress_percent)                                          AS progress_percent,
               bool_or(n.type = 'lesson_completed')                             AS completed,
               min(n.occurred_at) FILTER (WHERE n.type = 'lesson_completed')    AS completed_at,
               sum(n.time_spent_seconds)                                        AS time_spent_seconds,
               max(n.occurred_at)                                               AS last_activity_at
          FROM inserted n
         GROUP BY n.lesson_id
    ), lesson_merge AS (
        -- ... merged with the stored state by the same rules (max, or, earliest, sum, latest).
        -- A data-modifying CTE runs to completion even though nothing reads its result.
        INSERT INTO huddle.user_lesson_progress AS p
               (user_id, lesson_id, course_id, org_id, progress_percent, completed, completed_at,
                time_spent_seconds, last_activity_at, updated_at)
        SELECT p_user_id, d.lesson_id, d.course_id, d.org_id, d.progress_percent, d.completed,
               d.completed_at, d.time_spent_seconds, d.last_activity_at, now()
          FROM lesson_delta d
        ON CONFLICT (user_id, lesson_id) DO UPDATE SET
               progress_percent   = greatest(p.progress_percent, excluded.progress_percent),
               completed          = p.completed OR excluded.completed,
               completed_at       = least(p.completed_at, excluded.completed_at),
               time_spent_seconds = p.time_spent_seconds + excluded.time_spent_seconds,
               last_activity_at   = greatest(p.last_activity_at, excluded.last_activity_at),
               updated_at         = excluded.updated_at
    )
    SELECT c.idx,
           c.event_id,
           CASE WHEN c.reason IS NOT NULL THEN 'rejected'
                WHEN n.event_id IS NOT NULL THEN 'accepted'
                ELSE 'duplicate'
           END,
           c.reason,
           CASE WHEN n.event_id IS NOT NULL THEN n.org_id END
      FROM numbered c
      LEFT JOIN inserted n ON c.first_copy AND n.event_id = c.event_id AND n.occurred_at = c.occurred_at
     ORDER BY c.idx;

    -- 3. Course progress = completed lessons / lessons in the course, for every course of the batch
    --    with lesson progress (lesson rows exist only for assigned courses). One index scan reads the
    --    learner's lesson rows of all those courses. Skips the write when nothing changed (e.g. an
    --    all-duplicate retry).
    --    Only lessons that are in the course NOW count as completed: a lesson row outlives a lesson that
    --    was deleted or moved to another course, and counting it would push completed_lessons above
    --    total_lessons, whose CHECK would then fail every later batch of that course.
    INSERT INTO huddle.user_course_progress AS ucp
           (user_id, course_id, org_id, completed_lessons, total_lessons, progress_percent, completed_at,
            last_activity_at, updated_at)
    SELECT p_user_id, lp.course_id, lp.org_id, lp.completed_lessons, t.total_lessons,
           round(100.0 * lp.completed_lessons / t.total_lessons, 2),
           CASE WHEN lp.completed_lessons = t.total_lessons THEN lp.last_completed_at END,
           lp.last_activity_at,
           now()
      FROM (SELECT ulp.course_id,
                   min(ulp.org_id)                                AS org_id,
                   count(*) FILTER (WHERE ulp.completed AND l.lesson_id IS NOT NULL)::integer
                                                                  AS completed_lessons,
                   max(ulp.completed_at) FILTER (WHERE l.lesson_id IS NOT NULL) AS last_completed_at,
                   max(ulp.last_activity_at)                      AS last_activity_at
              FROM huddle.user_lesson_progress ulp
              LEFT JOIN huddle.lessons l ON l.lesson_id = ulp.lesson_id AND l.course_id = ulp.course_id
             WHERE ulp.user_id = p_user_id
               AND ulp.course_id = ANY (v_courses)
             GROUP BY ulp.course_id) lp
      JOIN (SELECT l.course_id, count(*)::integer AS total_lessons
              FROM huddle.lessons l
             WHERE l.course_id = ANY (v_courses)
             GROUP BY l.course_id) t ON t.course_id = lp.course_id
    ON CONFLICT (user_id, course_id) DO UPDATE SET
           completed_lessons = excluded.completed_lessons,
           total_lessons     = excluded.total_lessons,
           progress_percent  = excluded.progress_percent,
           completed_at      = excluded.completed_at,
           last_activity_at  = excluded.last_activity_at,
           updated_at        = excluded.updated_at
     WHERE (ucp.completed_lessons, ucp.total_lessons, ucp.completed_at, ucp.last_activity_at)
           IS DISTINCT FROM (excluded.completed_lessons, excluded.total_lessons, excluded.completed_at,
                             excluded.last_activity_at);

    PERFORM huddle_api.record_client_queue_depth(p_user_id, p_client_queue_depth);
END;
$$;
