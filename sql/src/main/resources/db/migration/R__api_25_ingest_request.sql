-- ingest_request: what the ingest Lambda calls once per request (db-api's HuddleApi): the batch procedure of
-- the request's kind, then the rollup fan-out claim (R__api_06) and the daily quota's charge (R__api_05), each
-- only when its parameters are given, in one statement and so in one transaction and one round trip.
--
-- p_kind: 'progress' (upsert_progress_batch, R__api_10) or 'analytics' (ingest_analytics_batch, R__api_20,
-- which alone reads p_max_event_names). p_fanout_bucket null: no claim, rollup_bucket is null in every row.
-- p_quota_events null: no charge. Returns the batch's rows in input order, each with the bucket claimed for its
-- org by this request (null: not claimed, or no claim asked).
--
-- Why a function and not the same statement sent by the client: the functions connect through RDS Proxy, or a
-- transaction-mode pooler, where a named prepared statement pins the session (pgjdbc runs with
-- prepareThreshold=0, functions/.../common/db/ConnectionFactory.java), so a statement sent by the client is
-- parsed and planned on every call. PL/pgSQL keeps the plan of its statement for the life of the server
-- session whichever client it serves, which no pooler can see. pgbench against the composed statement
-- (docs/PERFORMANCE.md, "One function per request") measured the difference.
--
-- Order: the claim and the charge read the batch's rows (the CTE b), so they run once the batch has written. A
-- refused charge raises SQLSTATE HU429, which ends the statement: the batch's writes and the claim are taken
-- back. Both come after the batch so that the learner's usage row and the org's claim row are locked only from
-- there to the commit: a learner's progress and analytics requests, sent together, would otherwise wait for
-- each other's whole batch. A WHERE on a parameter alone is a one-time filter: the procedure, claim or charge
-- it guards is not called at all when it is false.
CREATE OR REPLACE FUNCTION huddle_api.ingest_request(
    p_kind text,
    p_user_id text,
    p_events jsonb,
    p_client_queue_depth integer,
    p_max_event_names integer,
    p_fanout_bucket bigint,
    p_quota_events integer,
    p_quota_bytes bigint,
    p_quota_max_events integer,
    p_quota_max_bytes bigint)
    RETURNS TABLE (idx integer, event_id text, status text, reason text, org_id text, rollup_bucket bigint)
    LANGUAGE plpgsql
    -- One plan per session, whatever the values (see upsert_progress_batch).
    SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
BEGIN
    IF p_kind IS NULL OR p_kind NOT IN ('progress', 'analytics') THEN
        RAISE EXCEPTION 'ingest_request: p_kind must be progress or analytics, not %', p_kind
            USING ERRCODE = '22023';
    END IF;

    RETURN QUERY
    WITH b AS MATERIALIZED (
        SELECT * FROM huddle_api.upsert_progress_batch(p_user_id, p_events, p_client_queue_depth)
         WHERE p_kind = 'progress'
        UNION ALL
        SELECT * FROM huddle_api.ingest_analytics_batch(p_user_id, p_events, p_client_queue_depth,
                                                        p_max_event_names)
         WHERE p_kind = 'analytics'
    ), f AS MATERIALIZED (
        SELECT c.org_id, c.bucket
          FROM huddle_api.claim_rollup_fanout(
                   ARRAY(SELECT DISTINCT b.org_id FROM b WHERE b.org_id IS NOT NULL), p_fanout_bucket) AS c
         WHERE p_fanout_bucket IS NOT NULL
    ), q AS MATERIALIZED (
        -- Reads f as well as b: every request claims before it charges, so two requests never lock an org's
        -- claim row and a learner's usage row in opposite orders.
        SELECT huddle_api.charge_daily_quota(p_user_id, p_quota_events, p_quota_bytes, p_quota_max_events,
                                             p_quota_max_bytes) AS charged
          FROM (SELECT count(*) FROM b) AS written, (SELECT count(*) FROM f) AS claimed
         WHERE p_quota_events IS NOT NULL
    )
    -- The bucket by a subquery per row rather than a join: b is already in input order, and a join on the org
    -- made the plan sort the batch's rows twice.
    SELECT b.idx, b.event_id, b.status, b.reason, b.org_id, (SELECT f.bucket FROM f WHERE f.org_id = b.org_id)
      FROM b
      -- One row whether a charge was asked or not; reading q is what runs it.
      CROSS JOIN (SELECT count(*) FROM q) AS charge
     ORDER BY b.idx;
END;
$$;
