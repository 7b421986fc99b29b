-- The analytics event names each org has used on each day (UTC day of occurredAt). Ingest admits a name
-- that is new for its org and day only while the org has fewer than p_max_event_names of them that day
-- (huddle_api.ingest_analytics_batch), so rollups, keyed by (org, day, source, name), cannot be blown up
-- with invented names. One row per name and day: at most (orgs x bound) rows per day, read by primary key.
CREATE TABLE huddle.org_event_names (
    org_id text COLLATE "C" NOT NULL,
    day    date NOT NULL,
    name   text NOT NULL,
    PRIMARY KEY (org_id, day, name)
);
