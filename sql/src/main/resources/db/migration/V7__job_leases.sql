-- One row per background job that must not run twice at once (retention): who holds it and until when.
-- It replaces a session-level advisory lock, which RDS Proxy pins a connection for, and which a
-- transaction-mode pooler (PgBouncer) leaves on a server connection that the next client then inherits.
-- A lease needs no session: a crashed run's lease simply runs out.
CREATE TABLE huddle.job_leases (
    job        text PRIMARY KEY,
    holder     text NOT NULL,
    expires_at timestamptz NOT NULL
);

COMMENT ON TABLE huddle.job_leases IS
    'Leases of background jobs (huddle_api.try_take_job_lease, release_job_lease): one run at a time.';
