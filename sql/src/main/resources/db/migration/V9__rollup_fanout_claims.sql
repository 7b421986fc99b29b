-- Which fan-out bucket each org's rollup job was last claimed for (huddle_api.claim_rollup_fanout,
-- R__api_06_rollup_fanout.sql). One row per org that ever had events through the ingest path, so the table
-- stays as small as the orgs table and needs no retention.
--
-- Why in the database: every ingest request used to send its org's job to SQS unless its own container had
-- already sent it in the same 5-second bucket. With C containers serving requests for O orgs that is up to
-- C x O sends per bucket where O jobs are needed; SQS drops the copies by deduplication id, but bills every
-- send, and each one is a round trip on the request path. The ingest statement already runs in the database
-- every container shares, so it claims the bucket there: exactly one request per org and bucket is told to
-- send.
--
-- fillfactor 50: the claim updates a row at most once per org and bucket and touches no indexed column, so
-- with room left on the page every update is a HOT update.
CREATE TABLE huddle.rollup_fanout_claims (
    org_id text COLLATE "C" PRIMARY KEY,
    bucket bigint NOT NULL
) WITH (fillfactor = 50);

COMMENT ON TABLE huddle.rollup_fanout_claims IS
    'The last rollup fan-out bucket (epoch milliseconds / bucket length) claimed per org by an ingest request.';
