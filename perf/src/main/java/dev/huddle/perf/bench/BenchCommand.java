package dev.huddle.perf.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.huddle.common.Json;
import dev.huddle.perf.options.BenchDatabaseOptions;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Compares, on the same PostgreSQL in one run and with the same kind of events, (a) one upsert round
 * trip per event, (b) upsert_progress_batch with 100-event batches from one client and (b2) from two
 * concurrent clients, and (c) COPY of the same rows into progress_events. Prints events/s (median of the
 * repeats), the ratios b/a and b/c, and as the last line one JSON object with the figures.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {
            "Benchmarks progress ingestion: per-event upserts vs the batch procedure (one and two clients) vs COPY.",
            "Prints events/s, the ratios b/a and b/c, and as the last line a JSON object with the figures.",
            "Without --jdbc-url it starts its own embedded PostgreSQL in a temporary directory.",
            ""})
public final class BenchCommand implements Callable<Integer> {
    static final int BATCH_SIZE = 100;
    private static final int WARM_UP_EVENTS = 2_000;
    private static final long SEED = 20261128L;

    @Option(names = "--events", defaultValue = "20000", description = "Events per method and repeat (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--repeat", defaultValue = "3", description = "Repeats; the report shows medians (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--batch-span-minutes", defaultValue = "60",
            description = "A batch's events happened within this many minutes (default: ${DEFAULT-VALUE}); "
                    + "batches themselves spread over the last 20 days. 28800 spreads each batch over 20 days.")
    long batchSpanMinutes;

    @Option(names = "--lessons-per-batch", defaultValue = "5",
            description = "Consecutive lessons a batch's events cover (default: ${DEFAULT-VALUE}); 100 scatters "
                    + "each batch over all lessons of the learner's org.")
    int lessonsPerBatch;

    @Option(names = "--synchronous-commit", defaultValue = "true", negatable = true, fallbackValue = "true",
            description = "Commits wait for the WAL flush, as on RDS (default: on; --no-synchronous-commit "
                    + "turns it off for every method).")
    boolean synchronousCommit;

    @Mixin
    BenchDatabaseOptions databaseOptions;

    private final PrintStream out;
    private final PrintStream progress;

    public BenchCommand() {
        this(System.out, System.err);
    }

    BenchCommand(PrintStream out, PrintStream progress) {
        this.out = out;
        this.progress = progress;
    }

    @Override
    public Integer call() throws SQLException, JsonProcessingException {
        if (events < BATCH_SIZE || repeat < 1 || batchSpanMinutes < 1 || batchSpanMinutes > 20 * 24 * 60
                || lessonsPerBatch < 1 || lessonsPerBatch > BATCH_SIZE) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--events must be at least "
                    + BATCH_SIZE + ", --repeat at least 1, --batch-span-minutes within 1..28800, "
                    + "--lessons-per-batch within 1.." + BATCH_SIZE);
        }
        progress.println(databaseOptions.jdbcUrl() == null ? "Starting an embedded PostgreSQL, migrating, seeding demo data..."
                : "Migrating and seeding " + databaseOptions.jdbcUrl() + " ...");
        Results results;
        String serverVersion;
        try (BenchDatabase database = BenchDatabase.open(databaseOptions)) {
            database.synchronousCommit(synchronousCommit);
            results = measure(database);
            serverVersion = database.serverVersion();
        }
        // After the database is closed, so its shutdown logging cannot follow the JSON line.
        report(serverVersion, results);
        return 0;
    }

    private Results measure(BenchDatabase database) throws SQLException {
        List<BenchMethod> methods = List.of(
                new PerEventUpserts(database::connect),
                new BatchProcedure(database::connect, 1),
                new BatchProcedure(database::connect, 2),
                new CopyBaseline(database::connect));
        EventMix mix = new EventMix(SEED, Instant.now(), Duration.ofMinutes(batchSpanMinutes), lessonsPerBatch);
        // Warm-up, not measured: JIT-compiles the client code and fills each session's plan cache, so
        // the first measured method does not pay for it alone.
        for (int m = 0; m < methods.size(); m++) {
            int warmUpEvents = Math.min(events, WARM_UP_EVENTS);
            methods.get(m).prepare(mix.batches("warmup-" + Instant.now().toEpochMilli() + "-m" + m, warmUpEvents,
                    BATCH_SIZE)).store(new Progress("warm-up " + methods.get(m).name(), warmUpEvents, progress));
        }
        Results results = new Results(methods.size(), repeat);
        for (int r = 0; r < repeat; r++) {
            for (int m = 0; m < methods.size(); m++) {
                BenchMethod method = methods.get(m);
                // Same seed, so the same learner/course/lesson mix for every method; fresh event ids.
                List<BenchBatch> batches = mix.batches("bench-" + Instant.now().toEpochMilli() + "-r" + r + "m" + m,
                        events, BATCH_SIZE);
                String label = method.name() + " #" + (r + 1);
                BenchMethod.Run run = method.prepare(batches);
                Progress tracker = new Progress(label, events, progress);
                long start = System.nanoTime();
                run.store(tracker);
                double seconds = (System.nanoTime() - start) / 1e9;
                double eps = events / seconds;
                results.record(m, r, eps);
                progress.printf("  %-28s %,d events in %.2f s: %,.0f events/s%n", label, events, seconds, eps);
            }
        }
        return results;
    }

    private void report(String serverVersion, Results results) throws JsonProcessingException {
        double perEvent = results.median(0);
        double batch = results.median(1);
        double batch2 = results.median(2);
        double copy = results.median(3);
        out.printf("PostgreSQL %s, synchronous_commit %s, %d events per method, median of %d, batches of %d"
                + " (%d lessons, %d minutes each)%n", serverVersion, synchronousCommit ? "on" : "off", events, repeat,
                BATCH_SIZE, lessonsPerBatch, batchSpanMinutes);
        out.printf("(a)  per-event upserts, 1 client : %,10.0f events/s%n", perEvent);
        out.printf("(b)  batch procedure, 1 client   : %,10.0f events/s%n", batch);
        out.printf("(b2) batch procedure, 2 clients  : %,10.0f events/s%n", batch2);
        out.printf("(c)  COPY into progress_events   : %,10.0f events/s%n", copy);
        out.printf("b/a = %.1f (target >= 12)   b/c = %.2f (target >= 0.2)%n", batch / perEvent, batch / copy);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("perEventEps", Math.round(perEvent));
        json.put("batchEps", Math.round(batch));
        json.put("batch2Eps", Math.round(batch2));
        json.put("copyEps", Math.round(copy));
        json.put("batchVsPerEvent", round2(batch / perEvent));
        json.put("batchVsCopy", round2(batch / copy));
        out.println(Json.mapper().writeValueAsString(json));
    }

    private static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }

    /** Events/s per method and repeat. */
    private static final class Results {
        private final double[][] eps;

        Results(int methods, int repeats) {
            eps = new double[methods][repeats];
        }

        void record(int method, int repeat, double value) {
            eps[method][repeat] = value;
        }

        double median(int method) {
            double[] sorted = eps[method].clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }
    }
}
