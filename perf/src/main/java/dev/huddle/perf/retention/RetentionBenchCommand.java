package dev.huddle.perf.retention;

import dev.huddle.common.AwsClients;
import dev.huddle.common.AwsConfig;
import dev.huddle.common.Json;
import dev.huddle.dbapi.HuddleApi;
import dev.huddle.devservers.PostgresServer;
import dev.huddle.devservers.S3ProxyServer;
import dev.huddle.devservers.SimpleDataSource;
import dev.huddle.retention.Checkpoint;
import dev.huddle.retention.RetentionReport;
import dev.huddle.retention.RetentionService;
import dev.huddle.retention.SnapshotBucket;
import dev.huddle.sql.DemoData;
import dev.huddle.sql.Migrations;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Measures retention on an embedded PostgreSQL and an in-process S3Proxy: (1) the export rate of one
 * daily partition of --rows progress events through the real job (COPY, gzip, multipart upload, then the
 * verifying re-read, then DETACH + DROP), and (2) retiring a day of the same size by DETACH + DROP versus an
 * equivalent DELETE. Every session commits with synchronous_commit on, as on RDS. Last line: one JSON object.
 */
@Command(name = "retention-bench", mixinStandardHelpOptions = true,
        description = {
            "Benchmarks retention: export rate (rows/s) of one partition to S3Proxy, and DETACH+DROP of a",
            "partition versus DELETE of the same rows. Embedded PostgreSQL and S3Proxy; the last line is JSON."})
public final class RetentionBenchCommand implements Callable<Integer> {
    @Option(names = "--rows", defaultValue = "500000", description = "Rows per partition (default: ${DEFAULT-VALUE}).")
    int rows;

    private final PrintStream out;

    public RetentionBenchCommand() {
        this(System.out);
    }

    RetentionBenchCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        if (rows < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--rows must be at least 1");
        }
        Map<String, Object> json = new LinkedHashMap<>();
        try (PostgresServer postgres = PostgresServer.start(null, 0); S3ProxyServer s3Proxy = S3ProxyServer.start(0)) {
            DataSource dataSource = new SimpleDataSource(postgres.jdbcUrl("postgres"), postgres.user(), postgres.password());
            Migrations.apply(dataSource);
            DemoData.seed(dataSource); // the orgs the seeded rows belong to, for the rollup jobs
            S3Client s3 = AwsClients.s3(AwsConfig.from(Map.of("S3_ENDPOINT", s3Proxy.endpoint().toString())));
            s3.createBucket(b -> b.bucket("bench-snapshots"));
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            json.put("rows", rows);
            measureExport(dataSource, s3, today.minusDays(40), json);
            measureDropVersusDelete(dataSource, today.minusDays(20), today.minusDays(19), json);
        }
        out.printf("Export of one partition, %,d rows: %,.0f rows/s (%.2f s), %.1f MB gzip (%.1f MB/s of gzip);"
                        + " verifying re-read %.2f s; DETACH+DROP in the job %.0f ms%n",
                rows, json.get("exportRowsPerSecond"), json.get("exportSeconds"), (long) json.get("gzipBytes") / 1e6,
                (long) json.get("gzipBytes") / 1e6 / (double) json.get("exportSeconds"), json.get("verifySeconds"),
                json.get("jobDropMs"));
        out.printf("Retiring a day of %,d rows: DETACH+DROP %.0f ms, DELETE %.0f ms (%.0fx), then VACUUM after DELETE %.0f ms%n",
                rows, json.get("detachDropMs"), json.get("deleteMs"), json.get("deleteVsDetachDrop"), json.get("vacuumAfterDeleteMs"));
        out.println(Json.mapper().writeValueAsString(json));
        return 0;
    }

    /** Runs the real job on one old partition and times its phases through the checkpoints. */
    private void measureExport(DataSource dataSource, S3Client s3, LocalDate day, Map<String, Object> json)
            throws Exception {
        seedDay(dataSource, day);
        Map<Checkpoint, Long> reached = new EnumMap<>(Checkpoint.class);
        Checkpoint.Listener timing = (checkpoint, partition) -> {
            if (partition.parentTable().equals("progress_events")) {
                reached.put(checkpoint, System.nanoTime());
            }
        };
        RetentionService service = new RetentionService(() -> connect(dataSource), new SnapshotBucket(s3, "bench-snapshots"),
                Clock.systemUTC(), 30, 14, timing, line -> { });
        long start = System.nanoTime();
        RetentionReport report = service.run(false);
        long end = System.nanoTime();
        if (report.dropped() != 2 || report.rowsExported() != rows) {
            throw new IllegalStateException("unexpected retention result: " + Json.mapper().writeValueAsString(report));
        }
        // The progress partition is retired after the (empty) analytics one of the same day.
        // From the start of the run (partitions ahead, listing, the empty analytics partition: milliseconds)
        // to the completed upload of the progress partition.
        double exportSeconds = (reached.get(Checkpoint.UPLOADED) - start) / 1e9;
        json.put("exportSeconds", round(exportSeconds, 3));
        json.put("exportRowsPerSecond", (double) Math.round(rows / exportSeconds));
        json.put("gzipBytes", report.bytesUploaded());
        json.put("verifySeconds", round((reached.get(Checkpoint.DETACHED) - reached.get(Checkpoint.MANIFEST_WRITTEN)) / 1e9, 3));
        json.put("jobDropMs", round((end - reached.get(Checkpoint.DETACHED)) / 1e6, 1));
        json.put("jobTotalSeconds", round((end - start) / 1e9, 3));
    }

    /** Two days of the same size: one retired by DETACH + DROP, the other by DELETE (each one transaction). */
    private void measureDropVersusDelete(DataSource dataSource, LocalDate dropDay, LocalDate deleteDay,
                                         Map<String, Object> json) throws SQLException {
        seedDay(dataSource, dropDay);
        seedDay(dataSource, deleteDay);
        String partition = "huddle.progress_events_p" + dropDay.toString().replace("-", "");
        double dropMs = timeTransaction(dataSource, "ALTER TABLE huddle.progress_events DETACH PARTITION " + partition,
                "DROP TABLE " + partition);
        double deleteMs = timeTransaction(dataSource, "DELETE FROM huddle.progress_events WHERE occurred_at >= '"
                + deleteDay + "T00:00:00Z' AND occurred_at < '" + deleteDay.plusDays(1) + "T00:00:00Z'");
        // DELETE leaves every row as a dead tuple; the space comes back only after VACUUM (which autovacuum
        // would run later, competing with ingest). DROP returns the files at once.
        long vacuumStart = System.nanoTime();
        try (Connection c = connect(dataSource); Statement s = c.createStatement()) {
            s.execute("VACUUM huddle.progress_events_p" + deleteDay.toString().replace("-", ""));
        }
        json.put("detachDropMs", round(dropMs, 1));
        json.put("deleteMs", round(deleteMs, 1));
        json.put("deleteVsDetachDrop", round(deleteMs / dropMs, 1));
        json.put("vacuumAfterDeleteMs", round((System.nanoTime() - vacuumStart) / 1e6, 1));
    }

    private double timeTransaction(DataSource dataSource, String... statements) throws SQLException {
        try (Connection c = connect(dataSource); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            long start = System.nanoTime();
            for (String sql : statements) {
                s.execute(sql);
            }
            c.commit();
            return (System.nanoTime() - start) / 1e6;
        }
    }

    /** A day of progress events like ingestion writes them (set-based INSERT; realistic widths). */
    private void seedDay(DataSource dataSource, LocalDate day) throws SQLException {
        out.printf("  seeding %,d rows for %s ...%n", rows, day);
        try (Connection c = connect(dataSource)) {
            try (PreparedStatement ensure = c.prepareStatement("SELECT huddle.ensure_event_partitions(?, ?)")) {
                ensure.setObject(1, day);
                ensure.setObject(2, day);
                ensure.execute();
            }
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO huddle.progress_events (event_id, user_id, org_id, course_id, lesson_id, type,
                                                        progress_percent, time_spent_seconds, occurred_at)
                    SELECT '0b7e' || md5(?::text || g), 'learner-' || lpad((g % 5000 + 1)::text, 4, '0'),
                           'org-' || (g % 3 + 1), 'course-' || (g % 3 + 1) || lpad((g % 10 + 1)::text, 2, '0'),
                           'course-' || (g % 3 + 1) || lpad((g % 10 + 1)::text, 2, '0') || '-lesson-'
                               || lpad((g % 10 + 1)::text, 2, '0'),
                           CASE WHEN g % 7 = 0 THEN 'lesson_completed' ELSE 'lesson_progress' END,
                           (g % 101), g % 900,
                           (?::date)::timestamp AT TIME ZONE 'UTC' + (g % 86400) * interval '1 second'
                      FROM generate_series(1, ?) AS g""")) {
                insert.setString(1, day.toString());
                insert.setObject(2, day);
                insert.setInt(3, rows);
                insert.executeUpdate();
            }
            try (Statement s = c.createStatement()) {
                s.execute("VACUUM ANALYZE huddle.progress_events_p" + day.toString().replace("-", ""));
            }
            rollUp(c);
        }
    }

    /**
     * Retention keeps partitions the rollups have not read yet, as the pipeline would have long before a
     * day leaves the window; so the seeded rows are rolled up first, by the real jobs, outside the timings.
     */
    private void rollUp(Connection c) throws SQLException {
        out.println("  rolling the seeded rows up ...");
        for (String org : DemoData.orgIds()) {
            HuddleApi.runRollupJobsToCompletion(c, org, 100_000);
        }
    }

    private static Connection connect(DataSource dataSource) throws SQLException {
        Connection c = dataSource.getConnection();
        try (Statement s = c.createStatement()) {
            // The embedded server defaults it off; RDS runs with it on.
            s.execute("SET synchronous_commit = on");
        }
        return c;
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
