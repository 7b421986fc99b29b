-- Helpers shared by the huddle_api procedures. Repeatable migration: edited in place, re-applied by
-- Flyway when its checksum changes. Files are applied in name order, so helpers come first.

-- The advisory-lock key that serialises writers of one learner's progress in one course. A hash
-- collision between two pairs only makes them wait for each other; it never breaks correctness.
CREATE OR REPLACE FUNCTION huddle_api.course_progress_lock_key(p_user_id text, p_course_id text)
    RETURNS bigint
    LANGUAGE sql
    IMMUTABLE PARALLEL SAFE
AS $$
    SELECT hashtextextended(p_user_id || chr(31) || p_course_id, 0)
$$;

-- Records the client's offline-queue depth (X-Client-Queue-Depth) only when it differs from the stored
-- one, or when the stored report is over 5 minutes old (health counts reports of the last 15 minutes,
-- so a client stuck at the same depth must stay visible): a steady client costs one index lookup and
-- at most one write per 5 minutes, no row lock otherwise (ON CONFLICT DO UPDATE ... WHERE would still
-- lock the row). plpgsql rather than sql so the statement's plan is cached per session
-- (PostgreSQL 17 re-plans the body of a non-inlined SQL function on every call).
CREATE OR REPLACE FUNCTION huddle_api.record_client_queue_depth(p_user_id text, p_depth integer)
    RETURNS void
    LANGUAGE plpgsql
AS $$
BEGIN
    IF p_depth IS NULL THEN
        RETURN;
    END IF;
    INSERT INTO huddle.client_queue_reports AS r (user_id, depth, reported_at)
    SELECT p_user_id, p_depth, now()
     WHERE NOT EXISTS (SELECT 1 FROM huddle.client_queue_reports s WHERE s.user_id = p_user_id AND s.depth = p_depth
                        AND s.reported_at > now() - interval '5 minutes')
    ON CONFLICT (user_id) DO UPDATE SET depth = excluded.depth, reported_at = excluded.reported_at;
END;
$$;
