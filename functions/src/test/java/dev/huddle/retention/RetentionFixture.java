package dev.huddle.retention;

import dev.huddle.common.AwsClients;
import dev.huddle.common.AwsConfig;
import dev.huddle.common.observability.LogSink;
import dev.huddle.dbapi.HuddleApi;
import dev.huddle.devservers.S3ProxyServer;
import dev.huddle.devservers.TestPostgres;
import dev.huddle.ingest.IngestDatabase;
import dev.huddle.sql.DatabaseRole;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One test's world: a fresh migrated database, its own bucket on the shared S3Proxy, a clock fixed at
 * "now", and helpers to seed back-dated rows and to look at the bucket and the partitions.
 */
final class RetentionFixture {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static volatile S3ProxyServer s3Proxy;

    final TestPostgres.Database database = IngestDatabase.seededDatabase();
    final S3Client s3;
    final String bucket = "snapshots-" + BUCKETS.incrementAndGet();
    final LocalDate today = LocalDate.now(ZoneOffset.UTC);
    final Clock clock = Clock.fixed(Instant.now(), ZoneOffset.UTC);
    final List<String> logLines = new CopyOnWriteArrayList<>();

    RetentionFixture() {
        s3 = AwsClients.s3(AwsConfig.from(Map.of("S3_ENDPOINT", server().endpoint().toString())));
        s3.createBucket(b -> b.bucket(bucket));
    }

    static S3ProxyServer server() {
        if (s3Proxy == null) {
            synchronized (RetentionFixture.class) {
                if (s3Proxy == null) {
                    S3ProxyServer started = S3ProxyServer.start(0);
                    Runtime.getRuntime().addShutdownHook(new Thread(started::close, "s3proxy-stop"));
                    s3Proxy = started;
                }
            }
        }
        return s3Proxy;
    }

    RetentionService service(Checkpoint.Listener checkpoints) {
        return new RetentionService(this::connectAsRetention, new SnapshotBucket(s3, bucket), clock, 30, 14, checkpoints,
                (LogSink) logLines::add);
    }

    RetentionService service(java.time.Duration dropLockTimeout) {
        return new RetentionService(this::connectAsRetention, new SnapshotBucket(s3, bucket), clock, 30, 14,
                Checkpoint.Listener.NONE, (LogSink) logLines::add, dropLockTimeout);
    }

    /** Exports partitions of more than {@code maxRowsPerPart} rows in parts. */
    RetentionService service(long maxRowsPerPart) {
        return new RetentionService(this::connectAsRetention, new SnapshotBucket(s3, bucket), clock, 30, 14,
                Checkpoint.Listener.NONE, (LogSink) logLines::add, RetentionService.DROP_LOCK_TIMEOUT, maxRowsPerPart);
    }


    /** The superuser: seeding, looking, and playing other sessions. */
    Connection connect() throws SQLException {
        return database.dataSource().getConnection();
    }

    /** What the retention function logs in as (through PgBouncer in the pooled run). */
    Connection connectAsRetention() throws SQLException {
        return database.login(DatabaseRole.RETENTION.roleName()).dataSource().getConnection();
    }

    /** Seeds a day of events and rolls them up, as the pipeline would have long before retention runs. */
    void seedDay(LocalDate day, int rows) throws SQLException {
        seedDayNotRolledUp(day, rows);
        rollUpEverything();
    }

    /** Runs org-1's rollup jobs until nothing is pending, each in its own transaction as the worker does. */
    void rollUpEverything() throws SQLException {
        try (Connection c = connect()) {
            HuddleApi.runRollupJobsToCompletion(c, "org-1", 100_000);
        }
    }

    /** Creates the day's partitions and writes {@code rows} progress and analytics events into them. */
    void seedDayNotRolledUp(LocalDate day, int rows) throws SQLException {
        try (Connection c = connect(); PreparedStatement ensure = c.prepareStatement(
                "SELECT huddle.ensure_event_partitions(?, ?)")) {
            ensure.setObject(1, day);
            ensure.setObject(2, day);
            ensure.execute();
        }
        insertRows(day, rows, "");
    }

    /**
     * Writes {@code rows} progress and analytics events of a day whose partitions do not exist (the caller
     * made sure), so they land in the DEFAULT partitions, and rolls them up. {@code idPrefix} keeps the
     * event ids apart from an earlier seeding of the same day.
     */
    void seedStrandedInDefault(LocalDate day, int rows, String idPrefix) throws SQLException {
        insertRows(day, rows, idPrefix);
        rollUpEverything();
    }

    /** Drops both event tables' partitions of a day, as if the partition job had never created them. */
    void dropPartitionsOf(LocalDate day) throws SQLException {
        execute("DROP TABLE huddle." + partitionName("progress_events", day) + ", huddle."
                + partitionName("analytics_events", day));
    }

    private void insertRows(LocalDate day, int rows, String idPrefix) throws SQLException {
        try (Connection c = connect()) {
            try (PreparedStatement progress = c.prepareStatement("""
                    INSERT INTO huddle.progress_events (event_id, user_id, org_id, course_id, lesson_id, type,
                                                        progress_percent, time_spent_seconds, occurred_at)
                    SELECT ? || 'p-' || ? || '-' || g, 'learner-' || lpad((g % 9 + 1)::text, 4, '0'), 'org-1', 'course-101',
                           'course-101-lesson-0' || (g % 9 + 1), 'lesson_progress', 12.5, g,
                           (?::date)::timestamp AT TIME ZONE 'UTC' + g * interval '1 second'
                      FROM generate_series(1, ?) AS g""");
                    PreparedStatement analytics = c.prepareStatement("""
                    INSERT INTO huddle.analytics_events (event_id, user_id, org_id, name, properties, occurred_at)
                    SELECT ? || 'a-' || ? || '-' || g, 'learner-0001', 'org-1', 'video_played',
                           jsonb_build_object('note', E'quote " backslash \\\\ tab \t newline \n é', 'n', g),
                           (?::date)::timestamp AT TIME ZONE 'UTC' + g * interval '1 second'
                      FROM generate_series(1, ?) AS g""")) {
                for (PreparedStatement insert : List.of(progress, analytics)) {
                    insert.setString(1, idPrefix);
                    insert.setString(2, day.toString());
                    insert.setObject(3, day);
                    insert.setInt(4, rows);
                    insert.executeUpdate();
                }
            }
        }
    }

    /** Event tables of this schema (attached or not) named like daily partitions, sorted. */
    Set<String> partitions() throws SQLException {
        return strings("SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = 'huddle' AND relkind = 'r' AND relname ~ '_p\\d{8}$'");
    }

    boolean isAttached(String partition) throws SQLException {
        return !strings("SELECT relname FROM pg_class WHERE relname = '" + partition + "' AND relispartition").isEmpty();
    }

    long count(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    Set<String> strings(String sql) throws SQLException {
        Set<String> values = new TreeSet<>();
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    void execute(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    Set<String> bucketKeys() {
        Set<String> keys = new TreeSet<>();
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
            keys.add(object.key());
        }
        return keys;
    }

    byte[] object(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    /** The JSON lines inside a gzip snapshot object. */
    List<String> snapshotLines(String key) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(object(key)))) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.isEmpty() ? List.of() : new ArrayList<>(List.of(text.split("\n")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String partitionName(String table, LocalDate day) {
        return table + "_p" + day.toString().replace("-", "");
    }

    static String objectKey(String table, LocalDate day) {
        return SnapshotKeys.of(new EventPartition(table, partitionName(table, day), day, true)).objectKey();
    }

    static String manifestKey(String table, LocalDate day) {
        return SnapshotKeys.of(new EventPartition(table, partitionName(table, day), day, true)).manifestKey();
    }
}
