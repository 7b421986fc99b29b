package dev.huddle.retention;

import dev.huddle.common.db.ConnectionFactory;
import dev.huddle.common.observability.LogSink;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Retires old event partitions: for each daily partition wholly older than the retention window, stream
 * its rows to S3 (gzip JSON Lines), write a manifest, verify the stored object against it, and only then
 * detach and drop the partition. Also keeps daily partitions created ahead of today.
 *
 * <p>Crash safety comes from names and order, not from a progress table: the snapshot's keys derive from
 * the partition alone (a rerun overwrites, never duplicates); the manifest is written after the object
 * and the drop happens after verification, in one transaction with its own row count check. So a run
 * killed at any point leaves either the partition (with or without a snapshot, which the next run
 * verifies and reuses or rewrites) or a dropped partition whose verified snapshot exists.
 *
 * <p>The window: the API refuses events older than {@code retentionDays} (occurredAt_too_old), so no
 * write can reach the partitions of days before {@code today - retentionDays}; one more day of grace
 * covers clock skew between the API and this job. With 30 days, on 2026-11-28 the last dropped
 * partition is 2026-10-27's.
 */
public final class RetentionService {
    /** Never fewer partitions ahead than this: a week of ingest can never fall into the DEFAULT partition. */
    static final int MIN_PARTITIONS_AHEAD_DAYS = 7;
    /** How long the drop transaction waits for its locks before it leaves the partition to the next run. */
    static final Duration DROP_LOCK_TIMEOUT = Duration.ofSeconds(5);
    /** PostgreSQL's lock_not_available: the DETACH could not get its lock within the timeout. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private final ConnectionFactory connections;
    private final SnapshotBucket bucket;
    private final Clock clock;
    private final int retentionDays;
    private final int partitionsAheadDays;
    private final Checkpoint.Listener checkpoints;
    private final LogSink log;
    private final Duration dropLockTimeout;

    public RetentionService(ConnectionFactory connections, SnapshotBucket bucket, Clock clock, int retentionDays,
                            int partitionsAheadDays, Checkpoint.Listener checkpoints, LogSink log) {
        this(connections, bucket, clock, retentionDays, partitionsAheadDays, checkpoints, log, DROP_LOCK_TIMEOUT);
    }

    RetentionService(ConnectionFactory connections, SnapshotBucket bucket, Clock clock, int retentionDays,
                     int partitionsAheadDays, Checkpoint.Listener checkpoints, LogSink log, Duration dropLockTimeout) {
        if (retentionDays < 1) {
            throw new IllegalArgumentException("retentionDays must be positive: " + retentionDays);
        }
        this.connections = connections;
        this.bucket = bucket;
        this.clock = clock;
        this.retentionDays = retentionDays;
        this.partitionsAheadDays = Math.max(MIN_PARTITIONS_AHEAD_DAYS, partitionsAheadDays);
        this.checkpoints = checkpoints;
        this.log = log;
        this.dropLockTimeout = dropLockTimeout;
    }

    /** The first day whose partition is kept: today - retentionDays - 1 day of grace (UTC). */
    public LocalDate dropBefore() {
        return today().minusDays(retentionDays + 1L);
    }

    /** Runs once; a dry run lists what it would snapshot and drop and changes nothing (no S3 writes). */
    public RetentionReport run(boolean dryRun) throws SQLException, IOException {
        long started = System.nanoTime();
        LocalDate today = today();
        LocalDate dropBefore = dropBefore();
        List<PartitionOutcome> outcomes = new ArrayList<>();
        int createdAhead;
        String rollupCheck;
        try (Connection connection = connections.open()) {
            PartitionDatabase database = new PartitionDatabase(connection, dropLockTimeout);
            LocalDate lastAhead = today.plusDays(partitionsAheadDays);
            createdAhead = dryRun ? database.missingPartitions(today, lastAhead)
                    : database.ensurePartitions(today, lastAhead);
            rollupCheck = database.rollupsExist() ? "applied" : "skipped_no_rollup_tables";
            for (EventPartition partition : database.partitionsBefore(dropBefore)) {
                outcomes.add(dryRun ? plan(database, partition) : retire(database, partition));
            }
        }
        RetentionReport report = new RetentionReport(dryRun, dropBefore, outcomes, createdAhead, rollupCheck,
                (System.nanoTime() - started) / 1_000_000);
        log.write(report.toLogLine(clock.instant()));
        return report;
    }

    private PartitionOutcome plan(PartitionDatabase database, EventPartition partition) throws SQLException {
        long rows = database.countRows(partition);
        OptionalLong unrolled = database.unrolledRows(partition);
        if (unrolled.isPresent() && unrolled.getAsLong() > 0) {
            return PartitionOutcome.skipped(partition, rows, 0, "not_rolled_up");
        }
        return new PartitionOutcome(partition.name(), partition.day(), PartitionOutcome.Action.WOULD_SNAPSHOT_AND_DROP,
                rows, 0, null);
    }

    private PartitionOutcome retire(PartitionDatabase database, EventPartition partition)
            throws SQLException, IOException {
        OptionalLong unrolled = database.unrolledRows(partition);
        if (unrolled.isPresent() && unrolled.getAsLong() > 0) {
            // Checked before the upload too, so a partition the rollups still need costs no S3 traffic.
            return PartitionOutcome.skipped(partition, database.countRows(partition), 0, "not_rolled_up");
        }
        SnapshotKeys keys = SnapshotKeys.of(partition);
        long rowsNow = database.countRows(partition);
        Optional<SnapshotManifest> earlier = bucket.manifest(keys)
                .filter(m -> m.rowCount() == rowsNow && m.objectKey().equals(keys.objectKey()))
                .filter(m -> bucket.verify(m).ok());
        SnapshotManifest manifest;
        PartitionOutcome.Action action;
        if (earlier.isPresent()) {
            manifest = earlier.get();
            action = PartitionOutcome.Action.DROPPED_WITH_EXISTING_SNAPSHOT;
        } else {
            ExportResult export = database.export(partition, bucket.upload(keys.objectKey()));
            checkpoints.reached(Checkpoint.UPLOADED, partition);
            manifest = SnapshotManifest.of(partition, keys, export, clock.instant());
            bucket.putManifest(keys, manifest);
            checkpoints.reached(Checkpoint.MANIFEST_WRITTEN, partition);
            SnapshotBucket.Verification verification = bucket.verify(manifest);
            if (!verification.ok()) {
                return PartitionOutcome.skipped(partition, manifest.rowCount(), manifest.byteCount(),
                        "snapshot_unverified: " + verification.problem());
            }
            action = PartitionOutcome.Action.SNAPSHOTTED_AND_DROPPED;
        }
        try {
            Optional<String> kept = database.dropSnapshotted(partition, keys, manifest, checkpoints);
            if (kept.isPresent()) {
                return PartitionOutcome.skipped(partition, manifest.rowCount(), manifest.byteCount(), kept.get());
            }
        } catch (SQLException e) {
            if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                throw e;
            }
            return PartitionOutcome.skipped(partition, manifest.rowCount(), manifest.byteCount(), "lock_timeout");
        }
        return new PartitionOutcome(partition.name(), partition.day(), action, manifest.rowCount(),
                manifest.byteCount(), null);
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
