package dev.huddle.perf.rollupbench;

import dev.huddle.common.Json;
import dev.huddle.dbapi.HuddleApi;
import dev.huddle.devservers.ElasticMqServer;
import dev.huddle.perf.options.BenchDatabaseOptions;
import dev.huddle.rollup.RollupJobQueue;
import dev.huddle.sql.Migrations;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Benchmarks the rollup job (huddle_api.run_rollup_job): throughput for one org and for 10 orgs in
 * parallel, and the time of one 5,000-event job with the org's raw tables at 100k and at 2M rows (the
 * ratio shows whether the cost follows the new events or the table size). Also the ingest path's added
 * latency of the fan-out send (ElasticMQ in-process). Last line: one JSON object.
 *
 * <p>Over 300 lines: its measurements share one set of embedded servers, the seeded tables and the one JSON
 * report line, so they stay in one command.
 */
@Command(name = "rollup-bench", mixinStandardHelpOptions = true,
        description = {
            "Benchmarks rollup jobs: events/s for 1 org and 10 orgs in parallel, the time of a 5,000-event job",
            "with the raw tables at 100k vs 2M rows (target ratio <= 1.5), and the fan-out send latency.",
            "Without --jdbc-url it starts its own embedded PostgreSQL in a temporary directory.",
            ""})
public final class RollupBenchCommand implements Callable<Integer> {
    private static final int PARALLEL_ORGS = 10;

    @Option(names = "--events", defaultValue = "100000", description = "Events for the 1-org throughput (default: ${DEFAULT-VALUE}); the 10-org run uses as many per org / 5.")
    int events;

    @Option(names = "--job-events", defaultValue = "5000", description = "Events per job (default: ${DEFAULT-VALUE}).")
    int jobEvents;

    @Option(names = "--small-rows", defaultValue = "100000", description = "Raw rows of the small table (default: ${DEFAULT-VALUE}).")
    int smallRows;

    @Option(names = "--large-rows", defaultValue = "2000000", description = "Raw rows of the large table (default: ${DEFAULT-VALUE}).")
    int largeRows;

    @Option(names = "--repeat", defaultValue = "5", description = "Timed repeats of the single job (rolled back); median reported (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Mixin
    BenchDatabaseOptions databaseOptions;

    private final PrintStream out;
    private final PrintStream progress;

    public RollupBenchCommand() {
        this(System.out, System.err);
    }

    RollupBenchCommand(PrintStream out, PrintStream progress) {
        this.out = out;
        this.progress = progress;
    }

    @Override
    public Integer call() throws Exception {
        if (events < jobEvents || jobEvents < 1 || smallRows < 1 || largeRows <= smallRows || repeat < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "need --events >= --job-events >= 1, --large-rows > --small-rows >= 1, --repeat >= 1");
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        try (BenchDatabaseOptions.BenchPostgres postgres = databaseOptions.open("huddle-rollup-bench-")) {
            DataSource db = postgres.dataSource();
            progress.println("Migrating...");
            Migrations.apply(db);
            measureThroughput(db, figures);
            measureTableSizeIndependence(db, figures);
            measureFanOut(figures);
        }
        out.printf("rollup, 1 org           : %,10.0f events/s (%,d events, jobs of %,d)%n",
                figures.get("oneOrgEps"), events, jobEvents);
        out.printf("rollup, %d orgs parallel: %,10.0f events/s (%,d events per org)%n", PARALLEL_ORGS,
                figures.get("tenOrgsEps"), events / 5);
        out.printf("one %,d-event job, %,d raw rows : %8.1f ms%n", jobEvents, smallRows, figures.get("jobMsSmall"));
        out.printf("one %,d-event job, %,d raw rows : %8.1f ms%n", jobEvents, largeRows, figures.get("jobMsLarge"));
        out.printf("ratio large/small = %.2f (target <= 1.5)%n", figures.get("largeVsSmall"));
        out.printf("fan-out send p50 %.2f ms, p99 %.2f ms%n", figures.get("fanOutSendP50Ms"),
                figures.get("fanOutSendP99Ms"));
        out.println(Json.mapper().writeValueAsString(figures));
        return 0;
    }

    private void measureThroughput(DataSource db, Map<String, Object> figures) throws Exception {
        String single = "bench-solo";
        load(db, single, "solo", events);
        progress.printf("Rolling up %,d events of one org...%n", events);
        long start = System.nanoTime();
        long done = rollUpCompletely(db, single);
        figures.put("oneOrgEps", (double) Math.round(done / ((System.nanoTime() - start) / 1e9)));

        int perOrg = events / 5;
        List<String> orgs = new ArrayList<>();
        for (int i = 1; i <= PARALLEL_ORGS; i++) {
            String org = "bench-par-%02d".formatted(i);
            orgs.add(org);
            load(db, org, "par", perOrg);
        }
        progress.printf("Rolling up %,d events of %d orgs in parallel...%n", perOrg * PARALLEL_ORGS, PARALLEL_ORGS);
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_ORGS);
        try {
            start = System.nanoTime();
            List<Future<Long>> results = new ArrayList<>();
            for (String org : orgs) {
                results.add(pool.submit(() -> rollUpCompletely(db, org)));
            }
            long total = 0;
            for (Future<Long> result : results) {
                total += result.get();
            }
            figures.put("tenOrgsEps", (double) Math.round(total / ((System.nanoTime() - start) / 1e9)));
        } finally {
            pool.shutdownNow();
        }
    }

    /** One org grows from small to large; each time all but jobEvents rows are marked rolled up. */
    private void measureTableSizeIndependence(DataSource db, Map<String, Object> figures) throws Exception {
        String org = "bench-size";
        double small = timeOneJob(db, org, smallRows, "s1");
        double large = timeOneJob(db, org, largeRows, "s2");
        figures.put("jobMsSmall", round(small));
        figures.put("jobMsLarge", round(large));
        figures.put("largeVsSmall", round(large / small));
    }

    private double timeOneJob(DataSource db, String org, int rawRows, String tag) throws Exception {
        long existing = rawRows(db, org);
        progress.printf("Loading %,d rows for %s...%n", rawRows - existing, org);
        load(db, org, tag + "-old", (int) (rawRows - existing - jobEvents));
        try (Connection c = db.getConnection()) {
            SyntheticEvents.markRolledUp(c, org);
            SyntheticEvents.insert(c, org, tag + "-new", jobEvents);
            SyntheticEvents.deriveProgress(c, org);
            SyntheticEvents.analyze(c);
            settle(c);
        }
        double[] millis = new double[repeat];
        for (int r = -1; r < repeat; r++) {  // r = -1: one untimed warm-up run
            try (Connection c = db.getConnection()) {
                c.setAutoCommit(false);
                long start = System.nanoTime();
                // Inside this open transaction: rolled back below, so the next run repeats the same job.
                int processed = HuddleApi.runRollupJob(c, org, jobEvents).processed();
                if (r >= 0) {
                    millis[r] = (System.nanoTime() - start) / 1e6;
                }
                c.rollback();
                if (processed != jobEvents) {
                    throw new IllegalStateException("job processed " + processed + " events, expected " + jobEvents);
                }
            }
        }
        Arrays.sort(millis);
        progress.printf("  %,d raw rows: job of %,d events, median %.1f ms%n", rawRows, jobEvents, millis[repeat / 2]);
        rollUpCompletely(db, org);
        return millis[repeat / 2];
    }

    /**
     * Lets the aftermath of the bulk load finish before timing: without it the large case (19x more rows
     * just written) measured the checkpointer and autovacuum catching up - dirty buffers being flushed and
     * hint bits being set - not the job.
     */
    private static void settle(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("VACUUM huddle.progress_events, huddle.analytics_events, huddle.user_lesson_progress,"
                    + " huddle.user_course_progress");
            try {
                st.execute("CHECKPOINT");
            } catch (SQLException e) {
                if (!"42501".equals(e.getSQLState())) {  // a --jdbc-url role without pg_checkpoint: skip it
                    throw e;
                }
            }
        }
    }

    private void load(DataSource db, String org, String tag, int count) throws SQLException {
        try (Connection c = db.getConnection()) {
            SyntheticEvents.createOrg(c, org);
            int chunk = 500_000;
            for (int from = 0; from < count; from += chunk) {
                SyntheticEvents.insert(c, org, tag + "-" + from, Math.min(chunk, count - from));
            }
            SyntheticEvents.deriveProgress(c, org);
            SyntheticEvents.analyze(c);
        }
    }

    private long rollUpCompletely(DataSource db, String org) throws SQLException {
        try (Connection c = db.getConnection()) {
            return HuddleApi.runRollupJobsToCompletion(c, org, jobEvents);
        }
    }

    private static long rawRows(DataSource db, String org) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT (SELECT count(*) FROM huddle.progress_events WHERE org_id = ?)"
                        + " + (SELECT count(*) FROM huddle.analytics_events WHERE org_id = ?)")) {
            st.setString(1, org);
            st.setString(2, org);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * The ingest path's added latency when its request claimed an org's bucket: a send to the FIFO queue. The
     * other requests of the bucket send nothing (the claim is part of their database statement).
     */
    private void measureFanOut(Map<String, Object> figures) {
        progress.println("Measuring the fan-out send (ElasticMQ in-process)...");
        // A generous timeout: the first calls to a freshly started ElasticMQ on a busy machine can take
        // seconds, and one timeout must not abort the whole benchmark (the Lambda uses SQS_TIMEOUT_MS).
        try (ElasticMqServer server = ElasticMqServer.start(0);
             SqsClient sqs = dev.huddle.common.AwsClients.sqs(dev.huddle.common.AwsConfig.from(Map.of(
                     "SQS_ENDPOINT", server.endpoint().toString(), "SQS_TIMEOUT_MS", "10000")))) {
            String url = sqs.createQueue(b -> b.queueName("bench-jobs.fifo")
                    .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
            RollupJobQueue queue = new RollupJobQueue(sqs, url, Clock.systemUTC(), line -> { });
            int samples = 300;
            double[] sends = new double[samples];
            for (long i = 0; i < samples + 50; i++) {
                long start = System.nanoTime();
                queue.requestRollups(Map.of("org-1", i));  // a new bucket each time: a message each time
                double send = (System.nanoTime() - start) / 1e6;
                if (i >= 50) {  // the first 50 warm up the client and the JIT
                    sends[(int) i - 50] = send;
                }
            }
            Arrays.sort(sends);
            figures.put("fanOutSendP50Ms", round(sends[samples / 2]));
            figures.put("fanOutSendP99Ms", round(sends[samples * 99 / 100]));
            figures.put("fanOutFailures", queue.sendFailures());
        }
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
