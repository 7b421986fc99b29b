-- charge_daily_quota: adds a request to its learner's usage of the current UTC day, or refuses it
-- (contract: openapi.yaml, 429 daily_quota_exceeded; README "Limits and overload").
--
-- The ingest Lambda calls it through ingest_request (R__api_25), in the same statement as the batch procedure
-- it guards, after it and after the rollup fan-out claim. The charge reads the batch's rows, so it runs once
-- they are written; a refusal raises SQLSTATE HU429, which ends the statement and its transaction: the batch's
-- writes are taken back and the usage is not charged. One statement, one round trip, as before the quota.
-- Charging last keeps the usage row's lock (held to the commit) short, so a learner's progress and analytics
-- requests, sent together, do not wait for each other's whole batch; a refused request costs its batch's
-- work, which only a learner already over the quota pays, at most at the rate limit.
--
-- Returns p_user_id. Refuses when the day's events plus p_events would pass p_max_events, or the day's
-- bytes plus p_bytes would pass p_max_bytes (a request alone over a bound included). The row is locked
-- until the transaction ends, so concurrent requests of one learner are charged one after the other and
-- can never pass the quota together. The day is the UTC date of the transaction's start.
CREATE OR REPLACE FUNCTION huddle_api.charge_daily_quota(
    p_user_id text,
    p_events integer,
    p_bytes bigint,
    p_max_events integer,
    p_max_bytes bigint)
    RETURNS text
    LANGUAGE plpgsql
AS $$
DECLARE
    v_today date := (now() AT TIME ZONE 'UTC')::date;
BEGIN
    IF p_user_id IS NULL OR p_events IS NULL OR p_bytes IS NULL OR p_max_events IS NULL OR p_max_bytes IS NULL
       OR p_events < 0 OR p_bytes < 0 THEN
        RAISE EXCEPTION 'charge_daily_quota: every argument must be set, the charge not negative'
            USING ERRCODE = '22023';
    END IF;
    IF p_events > p_max_events OR p_bytes > p_max_bytes THEN
        RAISE EXCEPTION 'daily_quota_exceeded' USING ERRCODE = 'HU429';
    END IF;

    -- Only a row of an earlier day starts again. A row already on a later day was charged by a transaction
    -- that started after UTC midnight while this one started before it: this request counts against that
    -- day, never sets the row back (which would drop the new day's counts). The sums are compared in a wider
    -- type, so a quota near its type's maximum refuses (HU429) rather than overflowing (22003).
    INSERT INTO huddle.learner_daily_usage AS u (user_id, day, events, bytes)
    VALUES (p_user_id, v_today, p_events, p_bytes)
    ON CONFLICT (user_id) DO UPDATE
       SET day    = greatest(u.day, excluded.day),
           events = CASE WHEN u.day >= excluded.day THEN u.events + excluded.events ELSE excluded.events END,
           bytes  = CASE WHEN u.day >= excluded.day THEN u.bytes + excluded.bytes ELSE excluded.bytes END
     WHERE u.day < excluded.day
        OR (u.events::bigint + excluded.events <= p_max_events AND u.bytes::numeric + excluded.bytes <= p_max_bytes);
    -- No row inserted or updated: the row exists for today (or later) and the request would pass a bound.
    IF NOT FOUND THEN
        RAISE EXCEPTION 'daily_quota_exceeded' USING ERRCODE = 'HU429';
    END IF;
    RETURN p_user_id;
END;
$$;
