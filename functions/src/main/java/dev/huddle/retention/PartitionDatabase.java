package dev.huddle.retention;

import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.postgresql.PGConnection;

/**
 * Retention's side of PostgreSQL, on one connection that the caller owns (the job runs alone, nightly,
 * so it needs neither a pool nor the request path's retry-once connection). Autocommit is on between
 * the methods; each method that needs a transaction opens and ends its own.
 *
 * <p>Over 300 lines: it holds every statement retention sends to PostgreSQL, on the one connection it owns, so the
 * locking and transaction boundaries can be reviewed in one place.
 */
final class PartitionDatabase {
    /** The retention job's name in huddle.job_leases. */
    static final String JOB = "retention";
    /**
     * COPY of one JSON object per row. CSV format with a quote and a delimiter that JSON text never
     * contains raw (row_to_json escapes control characters) writes each JSON value as is; the text
     * format would double every backslash of the JSON.
     */
    private static final String EXPORT = "COPY (SELECT row_to_json(e) FROM %s e%s) TO STDOUT"
            + " (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')";

    /**
     * Part {@code index} of {@code count} of a partition's rows: those whose event id hashes to it. Stable
     * for a partition whose rows do not change (retention only exports days no write can reach), so
     * parts exported in different runs add up to the partition.
     */
    record Slice(int index, int count) {
        static final Slice WHOLE = new Slice(0, 1);

        Slice {
            if (count < 1 || index < 0 || index >= count) {
                throw new IllegalArgumentException("no part " + index + " of " + count);
            }
        }

        /** A WHERE clause of integers only (safe to splice), or nothing for the whole partition. */
        String where() {
            return count == 1 ? "" : " WHERE mod(abs(hashtext(e.event_id)::bigint), " + count + ") = " + index;
        }
    }
    private final Connection connection;
    private final Duration dropLockTimeout;

    PartitionDatabase(Connection connection, Duration dropLockTimeout) {
        this.connection = connection;
        this.dropLockTimeout = dropLockTimeout;
    }

    /** Daily partitions of days before {@code before}, attached or detached, oldest first. */
    List<EventPartition> partitionsBefore(LocalDate before) throws SQLException {
        List<EventPartition> partitions = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT parent_table, partition_name, day, attached FROM huddle_api.retention_partitions(?)")) {
            statement.setObject(1, before);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    partitions.add(new EventPartition(rows.getString(1), rows.getString(2),
                            rows.getObject(3, LocalDate.class), rows.getBoolean(4)));
                }
            }
        }
        return partitions;
    }

    long countRows(EventPartition partition) throws SQLException {
        return countRows(partition, Slice.WHOLE);
    }

    long countRows(EventPartition partition, Slice slice) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + partition.qualifiedName() + " e"
                        + slice.where())) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /**
     * Takes, or renews, {@code holder}'s lease of the retention job for {@code ttl}; false when another run
     * holds it (V7__job_leases.sql). A lease row rather than a session-level advisory lock: RDS Proxy pins a
     * connection that takes one, and a transaction-mode pooler leaves it on a server connection for the next
     * client. A run that dies keeps the job only until its lease runs out.
     */
    boolean tryTakeLease(String holder, Duration ttl) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT huddle_api.try_take_job_lease(?, ?, make_interval(secs => ?))")) {
            statement.setString(1, JOB);
            statement.setString(2, holder);
            statement.setLong(3, ttl.toSeconds());
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    /** Gives the lease back if {@code holder} still holds it. */
    void releaseLease(String holder) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT huddle_api.release_job_lease(?, ?)")) {
            statement.setString(1, JOB);
            statement.setString(2, holder);
            statement.execute();
        }
    }

    /** Deletes the analytics event names of days before {@code before}; ingest no longer admits those days. */
    long pruneEventNames(LocalDate before) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT huddle_api.prune_org_event_names(?)")) {
            statement.setObject(1, before);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** Rows the rollups have not read yet (above their org's rollup position). */
    long unrolledRows(EventPartition partition) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT huddle_api.unrolled_event_count(?)")) {
            statement.setString(1, partition.name());
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** Rows of days before {@code before} stranded in the DEFAULT partitions, per table and day, oldest first. */
    List<DefaultRows> defaultRowsBefore(LocalDate before) throws SQLException {
        List<DefaultRows> stranded = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT parent_table, partition_name, day,"
                + " row_count, unrolled_count FROM huddle_api.retention_default_rows(?)")) {
            statement.setObject(1, before);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    LocalDate day = rows.getObject(3, LocalDate.class);
                    stranded.add(new DefaultRows(new EventPartition(rows.getString(1), rows.getString(2), day, true),
                            rows.getLong(4), rows.getLong(5)));
                }
            }
        }
        return stranded;
    }

    /**
     * Rows of one day in the DEFAULT partition of one table: once materialised they become {@code partition}.
     *
     * @param unrolledRows of them, the rows the rollups have not read yet
     */
    record DefaultRows(EventPartition partition, long rows, long unrolledRows) {
    }

    /**
     * Whether a partition of this name was dropped by an earlier run (huddle.dropped_partitions). A partition
     * of that name existing again means rows of the day arrived after the drop: its snapshot would have to
     * overwrite the earlier one, which retention never does.
     */
    boolean droppedBefore(EventPartition partition) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT EXISTS (SELECT 1 FROM huddle.dropped_partitions WHERE partition_name = ?)")) {
            statement.setString(1, partition.name());
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    /**
     * Streams every row of the partition, as gzip JSON Lines, into {@code out}, and closes it (which
     * completes the upload). The row count and the COPY come from one REPEATABLE READ snapshot; the
     * lines written must equal that count. Memory stays constant: COPY streams, the gzip and upload
     * buffers are fixed.
     */
    ExportResult export(EventPartition partition, S3UploadStream out) throws SQLException, IOException {
        return export(partition, Slice.WHOLE, out);
    }

    /** {@link #export(EventPartition, S3UploadStream)} of one part of the partition's rows. */
    ExportResult export(EventPartition partition, Slice slice, S3UploadStream out) throws SQLException, IOException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            // Timestamps in the snapshot read the same whatever the server's time zone.
            statement.execute("SET LOCAL TimeZone = 'UTC'");
            long rowsInSnapshot = countRows(partition, slice);
            MessageDigest sha256 = Digests.sha256();
            CountingOutputStream stored = new CountingOutputStream(new DigestOutputStream(out, sha256));
            GZIPOutputStream gzip = new FastGzipOutputStream(stored);
            LineCountingOutputStream lines = new LineCountingOutputStream(gzip);
            try {
                connection.unwrap(PGConnection.class).getCopyAPI()
                        .copyOut(String.format(EXPORT, partition.qualifiedName(), slice.where()), lines);
                // Writes the gzip trailer and completes the upload: only now does the object exist.
                gzip.close();
            } catch (Throwable e) {
                // Abort first, so nothing closes the stream into a complete but truncated object.
                out.abort();
                throw e;
            }
            connection.commit();
            if (lines.lines() != rowsInSnapshot) {
                throw new IllegalStateException(partition.name() + ": exported " + lines.lines()
                        + " lines but the snapshot holds " + rowsInSnapshot + " rows");
            }
            return new ExportResult(lines.lines(), stored.count(), HexFormat.of().formatHex(sha256.digest()));
        } finally {
            rollbackQuietly();
            connection.setAutoCommit(autoCommit);
        }
    }

    /**
     * Detaches (if attached) and drops the partition and records it in huddle.dropped_partitions, all in
     * one transaction, but only if it still holds exactly the manifest's rows and every row is rolled
     * up; otherwise nothing changes and the reason is returned. A crash anywhere
     * before the commit rolls everything back: the partition stays, with its verified snapshot.
     *
     * @return empty when dropped, or why the partition was kept
     */
    Optional<String> dropSnapshotted(EventPartition partition, SnapshotKeys keys, SnapshotManifest manifest,
                                               Checkpoint.Listener checkpoints) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            // DETACH needs an ACCESS EXCLUSIVE lock on the parent table, and while it waits for one every
            // new ingest statement queues behind it: give up after a short wait; the next run retries.
            statement.execute("SET LOCAL lock_timeout = " + Math.max(1, dropLockTimeout.toMillis()));
            // SHARE blocks every writer of the partition until the commit: the count below is final.
            // The DDL steps are the owner's procedures (sql R__api_45_partition_ddl.sql): the retention role
            // holds no table privilege that would let it lock, detach or drop anything else.
            call(connection, "SELECT huddle_api.lock_event_partition(?)", partition.name());
            long rows = countRows(partition);
            if (rows != manifest.rowCount()) {
                connection.rollback();
                return Optional.of("rows_changed");
            }
            if (unrolledRows(partition) > 0) {
                connection.rollback();
                return Optional.of("not_rolled_up");
            }
            if (partition.attached()) {
                call(connection, "SELECT huddle_api.detach_event_partition(?, ?)", partition.parentTable(), partition.name());
                checkpoints.reached(Checkpoint.DETACHED, partition);
            }
            call(connection, "SELECT huddle_api.drop_event_partition(?)", partition.name());
            recordDrop(partition, keys, manifest);
            connection.commit();
            return Optional.empty();
        } finally {
            rollbackQuietly();
            connection.setAutoCommit(autoCommit);
        }
    }

    private static void call(Connection connection, String sql, String... arguments) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < arguments.length; i++) {
                statement.setString(i + 1, arguments[i]);
            }
            statement.execute();
        }
    }

    private void recordDrop(EventPartition partition, SnapshotKeys keys, SnapshotManifest manifest) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO huddle.dropped_partitions
                    (partition_name, parent_table, day, row_count, byte_count, sha256, object_key, manifest_key)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
            insert.setString(1, partition.name());
            insert.setString(2, partition.parentTable());
            insert.setObject(3, partition.day());
            insert.setLong(4, manifest.rowCount());
            insert.setLong(5, manifest.byteCount());
            insert.setString(6, manifest.sha256());
            insert.setString(7, keys.objectKey());
            insert.setString(8, keys.manifestKey());
            insert.executeUpdate();
        }
    }

    /**
     * Creates the missing daily partitions for from..to (both event tables), moving rows of those days out
     * of the DEFAULT partitions in the same transaction; returns how many partitions it created.
     */
    int ensurePartitions(LocalDate from, LocalDate to) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT huddle.ensure_event_partitions(?, ?)")) {
            statement.setObject(1, from);
            statement.setObject(2, to);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    /** How many daily partitions of from..to are missing (both event tables), without creating any. */
    int missingPartitions(LocalDate from, LocalDate to) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT count(*) FROM generate_series(?::date, ?::date, interval '1 day') AS d,
                       unnest(ARRAY['progress_events', 'analytics_events']) AS t
                 WHERE to_regclass(format('huddle.%I', t || '_p' || to_char(d, 'YYYYMMDD'))) IS NULL""")) {
            statement.setObject(1, from);
            statement.setObject(2, to);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private void rollbackQuietly() {
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
        } catch (SQLException ignored) {
            // The connection is broken; the server has rolled back on its side.
        }
    }
}
