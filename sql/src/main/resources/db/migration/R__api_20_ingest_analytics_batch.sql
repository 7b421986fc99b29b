-- ingest_analytics_batch: one database call per analytics batch (contract: openapi.yaml, operations
-- ingestAnalyticsBatch and ingestAnalyticsEvent, schemas AnalyticsEvent and BatchResult).
--
-- p_events is a JSON array of analytics events already validated by the ingest Lambda. Returns one row
-- per element like upsert_progress_batch: idx (0-based), event_id, status, reason (null |
-- 'no_assignment'), org_id (the event's org when accepted, else null).
--
-- The event's org: from the learner's assignment when the event names a course (not assigned:
-- no_assignment), otherwise from the learner's earliest org membership (none: no_assignment).
-- Analytics events only append to their log, so no lock is needed: the unique key settles races
-- between concurrent retries.
--
-- Event names are bounded per org and UTC day (p_max_event_names, the ingest Lambda's
-- MAX_EVENT_NAMES_PER_ORG_DAY): a name the org has not used that day is admitted, in name order, while
-- the day's count stays within the bound (huddle.org_event_names, V6); an event whose name is over the
-- bound is rejected 'too_many_event_names'. Two concurrent batches that both see room can each admit
-- their new names: the bound can be passed by what concurrent requests add at the same moment, never
-- more.
-- The return type gained org_id (the org of an accepted event: the ingest Lambda queues a rollup job
-- per org it wrote to), and CREATE OR REPLACE cannot change a return type.
DROP FUNCTION IF EXISTS huddle_api.ingest_analytics_batch(text, jsonb, integer);

CREATE OR REPLACE FUNCTION huddle_api.ingest_analytics_batch(
    p_user_id text,
    p_events jsonb,
    p_client_queue_depth integer DEFAULT NULL,
    p_max_event_names integer DEFAULT 1000)
    RETURNS TABLE (idx integer, event_id text, status text, reason text, org_id text)
    LANGUAGE plpgsql
AS $$
#variable_conflict use_column
BEGIN
    IF p_user_id IS NULL OR jsonb_typeof(p_events) IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'ingest_analytics_batch: p_user_id must be set and p_events must be a JSON array'
            USING ERRCODE = '22023';
    END IF;

    RETURN QUERY
    WITH input AS (
        -- Ids in the "C" collation of the id columns: byte-wise sorting and hashing (see V1).
        SELECT (e.ord - 1)::integer AS idx,
               e."eventId" COLLATE "C" AS event_id,
               e.name,
               e."courseId" COLLATE "C" AS course_id,
               e."lessonId" COLLATE "C" AS lesson_id,
               coalesce(e.properties, '{}'::jsonb) AS properties,
               e."occurredAt"       AS occurred_at
          FROM ROWS FROM (jsonb_to_recordset(p_events) AS ("eventId" text, name text, "courseId" text,
                          "lessonId" text, properties jsonb, "occurredAt" timestamptz))
               WITH ORDINALITY AS e("eventId", name, "courseId", "lessonId", properties, "occurredAt", ord)
    ), resolved AS (
        SELECT i.*,
               CASE WHEN i.course_id IS NOT NULL THEN a.org_id
                    -- Uncorrelated: evaluated once per call.
                    ELSE (SELECT m.org_id
                            FROM huddle.org_memberships m
                           WHERE m.user_id = p_user_id
                           ORDER BY m.created_at, m.org_id
                           LIMIT 1)
               END AS org_id
          FROM input i
          LEFT JOIN huddle.assignments a ON a.user_id = p_user_id AND a.course_id = i.course_id
    ), new_names AS (
        -- Names not yet used by the event's org on the event's UTC day, numbered per org and day, with
        -- the count the day already has.
        SELECT d.org_id, d.day, d.name,
               row_number() OVER (PARTITION BY d.org_id, d.day ORDER BY d.name) AS rank_in_batch,
               (SELECT count(*) FROM huddle.org_event_names k WHERE k.org_id = d.org_id AND k.day = d.day) AS used
          FROM (SELECT DISTINCT r.org_id, (r.occurred_at AT TIME ZONE 'UTC')::date AS day, r.name
                  FROM resolved r
                 WHERE r.org_id IS NOT NULL) d
         WHERE NOT EXISTS (SELECT 1 FROM huddle.org_event_names k
                            WHERE k.org_id = d.org_id AND k.day = d.day AND k.name = d.name)
    ), names_over AS (
        SELECT n.org_id, n.day, n.name FROM new_names n WHERE n.used + n.rank_in_batch > p_max_event_names
    ), names_added AS (
        INSERT INTO huddle.org_event_names (org_id, day, name)
        SELECT n.org_id, n.day, n.name FROM new_names n WHERE n.used + n.rank_in_batch <= p_max_event_names
        ON CONFLICT DO NOTHING
    ), bounded AS (
        SELECT r.idx, r.event_id, r.name, r.course_id, r.lesson_id, r.properties, r.occurred_at, r.org_id,
               EXISTS (SELECT 1 FROM names_over o
                        WHERE o.org_id = r.org_id AND o.day = (r.occurred_at AT TIME ZONE 'UTC')::date
                          AND o.name = r.name) AS name_over
          FROM resolved r
    ), numbered AS (
        -- The first acceptable element of each key is the one to insert; a later copy of the same
        -- (eventId, occurredAt) in this array is a duplicate.
        SELECT b.*,
               b.org_id IS NOT NULL AND NOT b.name_over
                   AND row_number() OVER (PARTITION BY b.org_id IS NULL OR b.name_over, b.event_id, b.occurred_at
                                          ORDER BY b.idx) = 1 AS first_copy
          FROM bounded b
    ), inserted AS (
        INSERT INTO huddle.analytics_events AS ae
               (event_id, user_id, org_id, course_id, lesson_id, name, properties, occurred_at)
        SELECT c.event_id, p_user_id, c.org_id, c.course_id, c.lesson_id, c.name, c.properties,
               c.occurred_at
          FROM numbered c
         WHERE c.first_copy
         ORDER BY c.idx
        ON CONFLICT (user_id, event_id, occurred_at) DO NOTHING
        RETURNING ae.event_id, ae.occurred_at
    )
    SELECT c.idx,
           c.event_id,
           CASE WHEN c.org_id IS NULL OR c.name_over THEN 'rejected'
                WHEN n.event_id IS NOT NULL THEN 'accepted'
                ELSE 'duplicate'
           END,
           CASE WHEN c.org_id IS NULL THEN 'no_assignment'
                WHEN c.name_over THEN 'too_many_event_names' END,
           CASE WHEN n.event_id IS NOT NULL THEN c.org_id END
      FROM numbered c
      LEFT JOIN inserted n ON c.first_copy AND n.event_id = c.event_id AND n.occurred_at = c.occurred_at
     ORDER BY c.idx;

    PERFORM huddle_api.record_client_queue_depth(p_user_id, p_client_queue_depth);
END;
$$;
