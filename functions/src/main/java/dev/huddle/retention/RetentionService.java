package dev.huddle.retention;

import dev.huddle.common.AwsClients;
import dev.huddle.common.db.ConnectionFactory;
import dev.huddle.common.observability.LogSink;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Retires old event partitions: for each daily partition wholly older than the retention window, stream
 * its rows to S3 (gzip JSON Lines), write a manifest, verify the stored object against it, and only then
 * detach and drop the partition. Also keeps daily partitions created ahead of today. Rows of old days
 * stranded in the DEFAULT partitions (their day's partition was missing at insert time) first get a
 * partition of their own, and are then retired the same way.
 *
 * <p>Crash safety comes from names and order, not from a progress table: the snapshot's keys derive from
 * the partition alone (a rerun overwrites, never duplicates); the manifest is written after the object
 * and the drop happens after verification, in one transaction with its own row count check. So a run
 * killed at any point leaves either the partition (with or without a snapshot, which the next run
 * verifies and reuses or rewrites) or a dropped partition whose verified snapshot exists.
 *
 * <p>Faults are isolated per partition: an error while retiring one (a COPY past the statement timeout, an
 * S3 failure) is reported as that partition's outcome ({@link PartitionOutcome.Action#FAILED}, metric
 * PartitionsFailed) and the run goes on with the others, so one bad partition, oldest first, can no longer
 * stop retention for every newer one. Every step is rerunnable, so the next run retries it. Each run also
 * reports the age of the oldest partition left (OldestPartitionAgeDays), which alarms when a partition
 * outlives the window by more than 2 days whatever the reason.
 *
 * <p>A partition of more than {@code maxRowsPerPart} rows is exported in parts (rows split by a hash of the
 * event id, {@link PartitionDatabase.Slice}), each part an object with its own manifest. A run starts an
 * export only while the longest export so far still fits in its time ({@link RunBudget}); otherwise the
 * partition is kept as {@code export_in_progress} and the next run reuses the verified parts and goes on,
 * so a partition too big for one invocation finishes across runs. Only when every part verified is the
 * partition's manifest written and the partition dropped.
 *
 * <p>The window: the API refuses events older than {@code retentionDays} (occurredAt_too_old), so no
 * write can reach the partitions of days before {@code today - retentionDays}; one more day of grace
 * covers clock skew between the API and this job. With 30 days, on 2026-11-28 the last dropped
 * partition is 2026-10-27's.
 *
 * <p>Over 300 lines: one partition's steps (export, verify, detach, drop) with their fault isolation, budget and
 * resumption read top to bottom as one sequence; the SQL is in {@link PartitionDatabase}, S3 in {@link SnapshotBucket}.
 */
public final class RetentionService {
    /** A whole partition is streamed inside one statement: far beyond the request path's timeout. */
    static final Duration STATEMENT_TIMEOUT = Duration.ofMinutes(14);
    /** Never fewer partitions ahead than this: a week of ingest can never fall into the DEFAULT partition. */
    static final int MIN_PARTITIONS_AHEAD_DAYS = 7;
    /** How long the drop transaction waits for its locks before it leaves the partition to the next run. */
    static final Duration DROP_LOCK_TIMEOUT = Duration.ofSeconds(5);
    /** The job's lease: longer than the function's 15-minute timeout, renewed before each partition. */
    static final Duration LEASE = Duration.ofMinutes(20);
    /** PostgreSQL's lock_not_available: the DETACH could not get its lock within the timeout. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    /** Skip reason: rows the rollups have not read yet; dropping them would lose them from the rollups. */
    static final String NOT_ROLLED_UP = "not_rolled_up";
    /** Skip reason: a partition of the same day was retired by an earlier run (see PartitionDatabase.droppedBefore). */
    static final String DAY_ALREADY_RETIRED = "day_already_retired";
    /** Skip reason: not started, the run's time is nearly up; the next run takes it. */
    static final String NO_TIME_LEFT = "no_time_left";
    /** Partitions with more rows are exported in parts: a part of a few million rows takes minutes, not the run. */
    static final long DEFAULT_MAX_ROWS_PER_PART = 2_000_000;

    private final ConnectionFactory connections;
    private final SnapshotBucket bucket;
    private final Clock clock;
    private final int retentionDays;
    private final int partitionsAheadDays;
    private final Checkpoint.Listener checkpoints;
    private final LogSink log;
    private final Duration dropLockTimeout;
    private final long maxRowsPerPart;

    /**
     * The production service for a configuration, logging to {@code log} (stdout on AWS; the local stack's
     * retention command keeps stdout for its summary).
     */
    public static RetentionService fromConfig(RetentionConfig config, LogSink log) {
        ConnectionFactory connections = ConnectionFactory.fromConfig(config.database(), config.aws(),
                config.database().connectTimeout(), STATEMENT_TIMEOUT, "huddle-retention");
        return new RetentionService(connections, new SnapshotBucket(AwsClients.s3(config.aws()), config.snapshotBucket()),
                Clock.systemUTC(), config.retentionDays(), config.partitionsAheadDays(), Checkpoint.Listener.NONE, log);
    }

    public RetentionService(ConnectionFactory connections, SnapshotBucket bucket, Clock clock, int retentionDays,
                            int partitionsAheadDays, Checkpoint.Listener checkpoints, LogSink log) {
        this(connections, bucket, clock, retentionDays, partitionsAheadDays, checkpoints, log, DROP_LOCK_TIMEOUT,
                DEFAULT_MAX_ROWS_PER_PART);
    }

    RetentionService(ConnectionFactory connections, SnapshotBucket bucket, Clock clock, int retentionDays,
                     int partitionsAheadDays, Checkpoint.Listener checkpoints, LogSink log, Duration dropLockTimeout) {
        this(connections, bucket, clock, retentionDays, partitionsAheadDays, checkpoints, log, dropLockTimeout,
                DEFAULT_MAX_ROWS_PER_PART);
    }

    RetentionService(ConnectionFactory connections, SnapshotBucket bucket, Clock clock, int retentionDays,
                     int partitionsAheadDays, Checkpoint.Listener checkpoints, LogSink log, Duration dropLockTimeout,
                     long maxRowsPerPart) {
        if (maxRowsPerPart < 1) {
            throw new IllegalArgumentException("maxRowsPerPart must be positive: " + maxRowsPerPart);
        }
        this.maxRowsPerPart = maxRowsPerPart;
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

    /** Runs once without a deadline; a dry run lists what it would snapshot and drop and changes nothing. */
    public RetentionReport run(boolean dryRun) throws SQLException, IOException {
        return run(dryRun, RunBudget.NO_DEADLINE);
    }

    /**
     * Runs once; a dry run lists what it would snapshot and drop and changes nothing (no S3 writes).
     *
     * @param remainingMillis the invocation's time left (Lambda's {@code Context.getRemainingTimeInMillis})
     */
    public RetentionReport run(boolean dryRun, LongSupplier remainingMillis) throws SQLException, IOException {
        RunBudget budget = new RunBudget(remainingMillis);
        long started = System.nanoTime();
        LocalDate today = today();
        LocalDate dropBefore = dropBefore();
        List<PartitionOutcome> outcomes = new ArrayList<>();
        long defaultRows;
        long eventNamesPruned = 0;
        int createdAhead;
        long oldestAgeDays;
        try (Connection connection = connections.open()) {
            PartitionDatabase database = new PartitionDatabase(connection, dropLockTimeout);
            // Two runs would export the same partitions at once; the one holding the lease does the job.
            String holder = UUID.randomUUID().toString();
            if (!dryRun && !database.tryTakeLease(holder, LEASE)) {
                return report(new RetentionReport(false, RetentionReport.ANOTHER_RUN_IN_PROGRESS, dropBefore,
                        List.of(), 0, 0, 0, 0, millisSince(started)));
            }
            try {
                List<PartitionDatabase.DefaultRows> stranded = database.defaultRowsBefore(dropBefore);
                defaultRows = stranded.stream().mapToLong(PartitionDatabase.DefaultRows::rows).sum();
                LocalDate lastAhead = today.plusDays(partitionsAheadDays);
                if (dryRun) {
                    createdAhead = database.missingPartitions(today, lastAhead);
                    outcomes.addAll(planStranded(database, stranded));
                } else {
                    materialise(database, stranded);
                    createdAhead = database.ensurePartitions(today, lastAhead);
                }
                for (EventPartition partition : database.partitionsBefore(dropBefore)) {
                    // Renewed before each partition, so a long run (the local command has no 15-minute cap)
                    // never outlives its lease; lost only if this run stalled past it and another took over.
                    if (!dryRun && !database.tryTakeLease(holder, LEASE)) {
                        break;
                    }
                    outcomes.add(isolated(partition, () -> dryRun ? plan(database, partition) : retire(database, partition, budget)));
                }
                if (!dryRun) {
                    eventNamesPruned = database.pruneEventNames(dropBefore);
                }
                oldestAgeDays = database.partitionsBefore(today.plusDays(1)).stream().map(EventPartition::day)
                        .min(Comparator.naturalOrder()).map(day -> ChronoUnit.DAYS.between(day, today)).orElse(0L);
            } finally {
                if (!dryRun) {
                    releaseQuietly(database, holder);
                }
            }
        }
        outcomes.sort(Comparator.comparing(PartitionOutcome::day).thenComparing(PartitionOutcome::partition));
        boolean anyFailed = outcomes.stream().anyMatch(p -> p.action() == PartitionOutcome.Action.FAILED);
        return report(new RetentionReport(dryRun, anyFailed ? RetentionReport.COMPLETED_WITH_FAILURES : RetentionReport.COMPLETED,
                dropBefore, outcomes, createdAhead, defaultRows, eventNamesPruned, oldestAgeDays, millisSince(started)));
    }

    /** A lease that cannot be given back (the connection broke) runs out by itself: never hide the run's error. */
    private static void releaseQuietly(PartitionDatabase database, String holder) {
        try {
            database.releaseLease(holder);
        } catch (SQLException e) {
            // Nothing to do: the next run may start once LEASE has passed.
        }
    }

    /** One partition's work, whose failure becomes its outcome instead of ending the run. */
    @FunctionalInterface
    private interface PartitionWork {
        PartitionOutcome run() throws SQLException, IOException;
    }

    private static PartitionOutcome isolated(EventPartition partition, PartitionWork work) {
        try {
            return work.run();
        } catch (SQLException e) {
            return PartitionOutcome.failed(partition, "SQLException " + e.getSQLState());
        } catch (IOException | RuntimeException e) {
            // The type only: messages can hold row data or credentials.
            return PartitionOutcome.failed(partition, e.getClass().getSimpleName());
        }
    }

    /**
     * Gives each day with rows stranded in a DEFAULT partition its own partition (ensure_event_partitions
     * moves the rows in one transaction), so the loop over old partitions retires them like any other. A
     * crash after some days leaves those days as ordinary old partitions: the next run retires them.
     */
    private static void materialise(PartitionDatabase database, List<PartitionDatabase.DefaultRows> stranded)
            throws SQLException {
        Set<LocalDate> days = new TreeSet<>();
        stranded.forEach(rows -> days.add(rows.partition().day()));
        for (LocalDate day : days) {
            database.ensurePartitions(day, day);
        }
    }

    /** The dry run's view of stranded rows: the partitions the real run would create and then retire. */
    private static List<PartitionOutcome> planStranded(PartitionDatabase database,
            List<PartitionDatabase.DefaultRows> stranded) throws SQLException {
        List<PartitionOutcome> outcomes = new ArrayList<>();
        for (PartitionDatabase.DefaultRows rows : stranded) {
            EventPartition partition = rows.partition();
            if (rows.unrolledRows() > 0) {
                outcomes.add(PartitionOutcome.skipped(partition, rows.rows(), 0, NOT_ROLLED_UP));
            } else if (database.droppedBefore(partition)) {
                outcomes.add(PartitionOutcome.skipped(partition, rows.rows(), 0, DAY_ALREADY_RETIRED));
            } else {
                outcomes.add(PartitionOutcome.wouldSnapshotAndDrop(partition, rows.rows()));
            }
        }
        return outcomes;
    }

    private RetentionReport report(RetentionReport report) {
        log.write(report.toLogLine(clock.instant()));
        return report;
    }

    private static long millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    private PartitionOutcome plan(PartitionDatabase database, EventPartition partition) throws SQLException {
        long rows = database.countRows(partition);
        if (database.unrolledRows(partition) > 0) {
            return PartitionOutcome.skipped(partition, rows, 0, NOT_ROLLED_UP);
        }
        if (database.droppedBefore(partition)) {
            return PartitionOutcome.skipped(partition, rows, 0, DAY_ALREADY_RETIRED);
        }
        return PartitionOutcome.wouldSnapshotAndDrop(partition, rows);
    }

    private PartitionOutcome retire(PartitionDatabase database, EventPartition partition, RunBudget budget)
            throws SQLException, IOException {
        if (database.unrolledRows(partition) > 0) {
            // Checked before the upload too, so a partition the rollups still need costs no S3 traffic.
            return PartitionOutcome.skipped(partition, database.countRows(partition), 0, NOT_ROLLED_UP);
        }
        if (database.droppedBefore(partition)) {
            // Rows of the day arrived after its partition was retired (the partition was made again):
            // snapshotting now would overwrite the earlier snapshot under the same name. Kept for an operator.
            return PartitionOutcome.skipped(partition, database.countRows(partition), 0, DAY_ALREADY_RETIRED);
        }
        SnapshotKeys keys = SnapshotKeys.of(partition);
        long rowsNow = database.countRows(partition);
        if (rowsNow > maxRowsPerPart) {
            return retireInParts(database, partition, keys, rowsNow, budget);
        }
        Optional<SnapshotManifest> earlier = bucket.manifest(keys)
                .filter(m -> m.rowCount() == rowsNow && m.objectKey().equals(keys.objectKey()))
                .filter(m -> bucket.verify(m).ok());
        SnapshotManifest manifest;
        PartitionOutcome.Action action;
        if (earlier.isPresent()) {
            manifest = earlier.get();
            action = PartitionOutcome.Action.DROPPED_WITH_EXISTING_SNAPSHOT;
        } else {
            if (!budget.allowsExport()) {
                return PartitionOutcome.skipped(partition, rowsNow, 0, NO_TIME_LEFT);
            }
            ExportResult export = budget.timeExport(() -> database.export(partition, bucket.upload(keys.objectKey())));
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
        return drop(database, partition, keys, manifest, action);
    }

    /**
     * Exports the parts not done yet while the run has time, reusing the verified parts of earlier runs;
     * once all verified, writes the partition manifest and drops the partition.
     */
    private PartitionOutcome retireInParts(PartitionDatabase database, EventPartition partition, SnapshotKeys keys,
            long rows, RunBudget budget) throws SQLException, IOException {
        int count = (int) ((rows + maxRowsPerPart - 1) / maxRowsPerPart);
        List<SnapshotKeys> partKeys = new ArrayList<>();
        List<SnapshotManifest> parts = new ArrayList<>();
        boolean exportedNow = false;
        for (int index = 0; index < count; index++) {
            SnapshotKeys part = keys.part(index, count);
            partKeys.add(part);
            Optional<SnapshotManifest> earlier = bucket.manifest(part)
                    .filter(m -> m.objectKey().equals(part.objectKey()))
                    .filter(m -> bucket.verify(m).ok());
            if (earlier.isPresent()) {
                parts.add(earlier.get());
                continue;
            }
            if (!budget.allowsExport()) {
                return PartitionOutcome.skipped(partition, rows, parts.stream().mapToLong(SnapshotManifest::byteCount).sum(),
                        "export_in_progress: " + parts.size() + " of " + count + " parts");
            }
            PartitionDatabase.Slice slice = new PartitionDatabase.Slice(index, count);
            ExportResult export = budget.timeExport(() -> database.export(partition, slice, bucket.upload(part.objectKey())));
            checkpoints.reached(Checkpoint.UPLOADED, partition);
            SnapshotManifest manifest = SnapshotManifest.of(partition, part, export, clock.instant());
            bucket.putManifest(part, manifest);
            SnapshotBucket.Verification verification = bucket.verify(manifest);
            if (!verification.ok()) {
                return PartitionOutcome.skipped(partition, rows, 0,
                        "snapshot_unverified: part " + (index + 1) + ": " + verification.problem());
            }
            parts.add(manifest);
            exportedNow = true;
        }
        SnapshotManifest manifest = SnapshotManifest.ofParts(partition, partKeys, parts, clock.instant());
        if (manifest.rowCount() != rows) {
            return PartitionOutcome.skipped(partition, rows, manifest.byteCount(), "rows_changed");
        }
        bucket.putManifest(keys, manifest);
        checkpoints.reached(Checkpoint.MANIFEST_WRITTEN, partition);
        return drop(database, partition, new SnapshotKeys(manifest.objectKey(), keys.manifestKey()), manifest,
                exportedNow ? PartitionOutcome.Action.SNAPSHOTTED_AND_DROPPED
                        : PartitionOutcome.Action.DROPPED_WITH_EXISTING_SNAPSHOT);
    }

    /** The drop of a verified snapshot's partition, or why it was kept. */
    private PartitionOutcome drop(PartitionDatabase database, EventPartition partition, SnapshotKeys keys,
            SnapshotManifest manifest, PartitionOutcome.Action action) throws SQLException {
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
