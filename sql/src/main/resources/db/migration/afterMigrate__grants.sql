-- What each function's role may do (README "Database roles"). A Flyway callback, run after every migrate
-- as huddle_owner: the repeatable R__ files drop and re-create procedures, which loses their grants and
-- attributes, so this file re-applies all of them; every statement is idempotent.
--
-- Entry points run as SECURITY DEFINER (as huddle_owner) with a fixed search_path, so a function role
-- needs EXECUTE on them and nothing on the tables behind them. pg_temp last: a caller's temporary object
-- can never shadow a name the procedure uses (their bodies qualify every name anyway).

ALTER FUNCTION huddle_api.ingest_request(text, text, jsonb, integer, integer, bigint, integer, bigint, integer, bigint) SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION huddle_api.charge_daily_quota(text, integer, bigint, integer, bigint) SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION huddle_api.upsert_progress_batch(text, jsonb, integer) SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION huddle_api.ingest_analytics_batch(text, jsonb, integer, integer) SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION huddle_api.claim_rollup_fanout(text[], bigint) SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION huddle_api.rollup_lag() SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION huddle_api.run_rollup_job(text, integer) SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION huddle_api.orgs_with_pending_rollups() SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION huddle_api.retention_partitions(date) SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION huddle_api.retention_default_rows(date) SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION huddle_api.unrolled_event_count(text) SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION huddle.ensure_event_partitions(date, date) SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION huddle_api.try_take_job_lease(text, text, interval) SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION huddle_api.release_job_lease(text, text) SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION huddle_api.prune_org_event_names(date) SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA huddle, huddle_api FROM PUBLIC;
GRANT USAGE ON SCHEMA huddle_api
    TO huddle_ingest, huddle_health, huddle_admin_api, huddle_rollup_worker, huddle_rollup_sweep, huddle_retention;

-- Ingest: one function, which runs the batch procedure, the rollup fan-out claim and the daily quota's charge
-- as their owner (R__api_25); nothing else: not those three alone (a claim or a charge without its batch), and
-- no USAGE on schema huddle, so no table is reachable.
GRANT EXECUTE ON FUNCTION huddle_api.ingest_request(text, text, jsonb, integer, integer, bigint, integer, bigint,
                                                    integer, bigint)
    TO huddle_ingest;
-- A database migrated before ingest_request granted these four to ingest, and a repeatable file that has not
-- changed is not run again, so its grants would stay.
REVOKE EXECUTE ON FUNCTION huddle_api.charge_daily_quota(text, integer, bigint, integer, bigint),
                           huddle_api.upsert_progress_batch(text, jsonb, integer),
                           huddle_api.ingest_analytics_batch(text, jsonb, integer, integer),
                           huddle_api.claim_rollup_fanout(text[], bigint)
    FROM huddle_ingest;

-- Health: the rollup lag, and the reported queue depths it sums (dev.huddle.health.PostgresHealthProbe).
GRANT USAGE ON SCHEMA huddle TO huddle_health;
GRANT EXECUTE ON FUNCTION huddle_api.rollup_lag() TO huddle_health;
GRANT SELECT (depth, reported_at) ON huddle.client_queue_reports TO huddle_health;

-- Admin rollups read route: the org and its daily rollups (dev.huddle.rollup.PostgresRollupReader).
GRANT USAGE ON SCHEMA huddle TO huddle_admin_api;
GRANT SELECT ON huddle.orgs, huddle.org_daily_rollups, huddle.org_daily_event_counts TO huddle_admin_api;

-- Rollups: the worker runs jobs, the sweep only lists the orgs with pending events.
GRANT EXECUTE ON FUNCTION huddle_api.run_rollup_job(text, integer) TO huddle_rollup_worker;
GRANT EXECUTE ON FUNCTION huddle_api.orgs_with_pending_rollups() TO huddle_rollup_sweep;

-- Retention: its read-only helpers, partition upkeep, the partition DDL procedures (R__api_45), reading
-- the event partitions (COPY to S3) and recording what it dropped.
GRANT USAGE ON SCHEMA huddle TO huddle_retention;
GRANT EXECUTE ON FUNCTION huddle_api.retention_partitions(date),
                          huddle_api.retention_default_rows(date),
                          huddle_api.unrolled_event_count(text),
                          huddle_api.lock_event_partition(text),
                          huddle_api.detach_event_partition(text, text),
                          huddle_api.drop_event_partition(text),
                          huddle.ensure_event_partitions(date, date),
                          huddle_api.try_take_job_lease(text, text, interval),
                          huddle_api.release_job_lease(text, text),
                          huddle_api.prune_org_event_names(date)
    TO huddle_retention;
GRANT SELECT, INSERT ON huddle.dropped_partitions TO huddle_retention;
DO $$
DECLARE
    v_table regclass;
BEGIN
    -- The event tables and every partition that exists now (new ones: V5's default privilege).
    FOR v_table IN
        SELECT c.oid::regclass
          FROM pg_class c
          JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'huddle'
         WHERE c.relname ~ '^(progress_events|analytics_events)(_default|_p\d{8})?$'
    LOOP
        EXECUTE format('GRANT SELECT ON %s TO huddle_retention', v_table);
    END LOOP;
END;
$$;
