-- Retention: daily event partitions older than the retention window are snapshotted to S3 and then
-- dropped (functions package dev.huddle.retention). The snapshot itself lives in S3 with its manifest;
-- this table is the database's own record of what left it and where it went, written in the same
-- transaction as the DROP, so a partition is gone if and only if its row is here.
CREATE TABLE huddle.dropped_partitions (
    partition_name text PRIMARY KEY,
    parent_table   text NOT NULL CHECK (parent_table IN ('progress_events', 'analytics_events')),
    day            date NOT NULL,
    row_count      bigint NOT NULL CHECK (row_count >= 0),
    byte_count     bigint NOT NULL CHECK (byte_count >= 0),
    sha256         text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    object_key     text NOT NULL,
    manifest_key   text NOT NULL,
    dropped_at     timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE huddle.dropped_partitions IS
    'One row per event partition that retention dropped after a verified S3 snapshot (object_key, manifest_key).';
