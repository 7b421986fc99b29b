-- claim_rollup_fanout: of the orgs an ingest request wrote accepted events for, the ones whose rollup job
-- this request is the first to claim in the current fan-out bucket (README "Rollups"; the table:
-- V9__rollup_fanout_claims.sql). The ingest Lambda sends a job only for the orgs returned, with the bucket
-- as part of its deduplication id (functions/.../rollup/RollupJobQueue.java).
--
-- The ingest Lambda calls it through ingest_request (R__api_25), in the same statement as the batch procedure,
-- so the claim costs no round trip, and a statement that fails (a refused daily quota) takes its claim back.
--
-- p_bucket is the caller's time bucket (epoch milliseconds / the bucket's length, RollupJobQueue), read on
-- the Lambda's clock as before the claim moved here, so tests can fix it. A claim is taken only for a bucket
-- later than the org's last one. The job's queue delays it by one bucket and a second, so by the time it
-- runs every request of its bucket that found the claim taken has committed (the claim comes at the end of
-- the request's statement), and the job rolls up their events too. A statement that takes longer than that
-- second may commit after the job has read; its events then wait for the org's next job (its next request in
-- a later bucket) or the sweep, a minute at most, as after a lost send.
--
-- Locking: an org's row is updated (and so locked to the commit) only by the request that moves it to a new
-- bucket; every later request of that bucket reads the row, finds the bucket taken and locks nothing. A
-- request that arrives while the claim is uncommitted waits for that commit (the end of the same
-- statement), then finds the bucket taken. Orgs are claimed in key order, so two requests naming the same
-- orgs never wait on each other in a cycle.
CREATE OR REPLACE FUNCTION huddle_api.claim_rollup_fanout(p_org_ids text[], p_bucket bigint)
    RETURNS TABLE (org_id text, bucket bigint)
    LANGUAGE plpgsql
AS $$
#variable_conflict use_column
DECLARE
    v_orgs text[] := p_org_ids;
    v_org  text;
BEGIN
    IF p_bucket IS NULL THEN
        RAISE EXCEPTION 'claim_rollup_fanout: p_bucket must be set' USING ERRCODE = '22023';
    END IF;
    -- Nearly every request writes to one org; only a longer list needs the key order.
    IF cardinality(v_orgs) > 1 THEN
        v_orgs := ARRAY(SELECT DISTINCT o FROM unnest(v_orgs) AS o ORDER BY 1);
    END IF;

    FOREACH v_org IN ARRAY coalesce(v_orgs, '{}') LOOP
        CONTINUE WHEN v_org IS NULL;
        UPDATE huddle.rollup_fanout_claims c
           SET bucket = p_bucket
         WHERE c.org_id = v_org AND c.bucket < p_bucket;
        -- Not updated: the bucket is taken (the common case: a read, no insert attempted), or the org has no
        -- row yet (its first claim ever; a concurrent first claim makes this one insert nothing).
        IF NOT FOUND AND NOT EXISTS (SELECT FROM huddle.rollup_fanout_claims c WHERE c.org_id = v_org) THEN
            INSERT INTO huddle.rollup_fanout_claims AS c (org_id, bucket)
            VALUES (v_org, p_bucket)
            ON CONFLICT (org_id) DO NOTHING;
        END IF;
        IF FOUND THEN
            org_id := v_org;
            bucket := p_bucket;
            RETURN NEXT;
        END IF;
    END LOOP;
END;
$$;
