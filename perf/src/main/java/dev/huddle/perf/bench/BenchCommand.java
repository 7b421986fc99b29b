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
 * trip per event, (b) upsert_progress_batch with 100-event batches (--batch-size) from one client and (b2)
 * from two concurrent clients, and (c) COPY of the same rows into progress_events. Prints events/s and WAL
 * bytes per event (medians of the repeats), the ratios b/a and b/c, and as the last line one JSON object
 * with the figures.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {
            "Benchmarks progress ingestion: per-event upserts vs the batch procedure (one and two clients) vs COPY.",
            "Prints events/s, the ratios b/a and b/c, and as the last line a JSON object with the figures.",
            "Without --jdbc-url it starts its own embedded PostgreSQL in a temporary directory.",
            ""})
public final class BenchCommand implements Callable<Integer> {
    private static final int MAX_BATCH_SIZE = 1_000;
    private static final int WARM_UP_EVENTS = 2_000;
    private static final long SEED = 20261128L;

    @Option(names = "--events", defaultValue = "20000", description = "Events per method and repeat (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--batch-size", defaultValue = "100",
            description = "Events per procedure call and per COPY transaction (default: ${DEFAULT-VALUE}); "
                    + "5 is the web client's typical flush, as the load test sends it.")
    int batchSize;

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
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE || events < batchSize || repeat < 1
                || batchSpanMinutes < 1 || batchSpanMinutes > 20 * 24 * 60
                || lessonsPerBatch < 1 || lessonsPerBatch > batchSize) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--batch-size must be within 1.."
                    + MAX_BATCH_SIZE + ", --events at least --batch-size, --repeat at least 1, "
                    + "--batch-span-minutes within 1..28800, --lessons-per-batch within 1..--batch-size");
        }
        progress.println(databaseOptions.jdbcUrl() == null ? "Starting an embedded PostgreSQL, migrating, seeding demo data..."
                : "Migrating and seeding " + databaseOptions.jdbcUrl() + " ...");
        Figures results;
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

    private Figures measure(BenchDatabase database) throws SQLException {
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
                    batchSize)).store(new Progress("warm-up " + methods.get(m).name(), warmUpEvents, progress));
        }
        Results results = new Results(methods.size(), repeat);
        Results walBytes = new Results(methods.size(), repeat);
        for (int r = 0; r < repeat; r++) {
            for (int m = 0; m < methods.size(); m++) {
                BenchMethod method = methods.get(m);
                // Same seed, so the same learner/course/lesson mix for every method; fresh event ids.
                List<BenchBatch> batches = mix.batches("bench-" + Instant.now().toEpochMilli() + "-r" + r + "m" + m,
                        events, batchSize);
                String label = method.name() + " #" + (r + 1);
                BenchMethod.Run run = method.prepare(batches);
                Progress tracker = new Progress(label, events, progress);
                long walBefore = database.walPosition();
                long start = System.nanoTime();
                run.store(tracker);
                double seconds = (System.nanoTime() - start) / 1e9;
                // Everything the server logged meanwhile, autovacuum included: what a replica or a WAL
                // archive would receive for these events.
                double walPerEvent = (double) (database.walPosition() - walBefore) / events;
                double eps = events / seconds;
                results.record(m, r, eps);
                walBytes.record(m, r, walPerEvent);
                progress.printf("  %-28s %,d events in %.2f s: %,.0f events/s, %,.0f WAL bytes/event%n", label,
                        events, seconds, eps, walPerEvent);
            }
        }
        return new Figures(results, walBytes);
    }

    private void report(String serverVersion, Figures figures) throws JsonProcessingException {
        Results results = figures.eventsPerSecond();
        Results wal = figures.walBytesPerEvent();
        double perEvent = results.median(0);
        double batch = results.median(1);
        double batch2 = results.median(2);
        double copy = results.median(3);
        double batchMsPerCall = batchSize * 1000.0 / batch;
        out.printf("PostgreSQL %s, synchronous_commit %s, %d events per method, median of %d, batches of %d"
                + " (%d lessons, %d minutes each)%n", serverVersion, synchronousCommit ? "on" : "off", events, repeat,
                batchSize, lessonsPerBatch, batchSpanMinutes);
        out.printf("(a)  per-event upserts, 1 client : %,10.0f events/s%n", perEvent);
        out.printf("(b)  batch procedure, 1 client   : %,10.0f events/s%n", batch);
        out.printf("(b2) batch procedure, 2 clients  : %,10.0f events/s%n", batch2);
        out.printf("(c)  COPY into progress_events   : %,10.0f events/s%n", copy);
        out.printf("b/a = %.1f (target >= 12)   b/c = %.2f (target >= 0.2)%n", batch / perEvent, batch / copy);
        out.printf("(b) %.3f ms per call of %d events (round trip and commit included)%n", batchMsPerCall, batchSize);
        out.printf("WAL bytes/event: (a) %,.0f  (b) %,.0f  (b2) %,.0f  (c) %,.0f%n", wal.median(0), wal.median(1),
                wal.median(2), wal.median(3));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("perEventEps", Math.round(perEvent));
        json.put("batchEps", Math.round(batch));
        json.put("batch2Eps", Math.round(batch2));
        json.put("copyEps", Math.round(copy));
        json.put("batchVsPerEvent", round2(batch / perEvent));
        json.put("batchVsCopy", round2(batch / copy));
        json.put("batchSize", batchSize);
        json.put("batchMsPerCall", Math.round(batchMsPerCall * 1000) / 1000.0);
        json.put("perEventWalBytes", Math.round(wal.median(0)));
        json.put("batchWalBytes", Math.round(wal.median(1)));
        json.put("batch2WalBytes", Math.round(wal.median(2)));
        json.put("copyWalBytes", Math.round(wal.median(3)));
        out.println(Json.mapper().writeValueAsString(json));
    }

    private static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }

    /** Events/s and WAL bytes per event, each per method and repeat. */
    private record Figures(Results eventsPerSecond, Results walBytesPerEvent) {
    }

    /** One figure per method and repeat. */
    private static final class Results {
        private final double[][] values;

        Results(int methods, int repeats) {
            values = new double[methods][repeats];
        }

        void record(int method, int repeat, double value) {
            values[method][repeat] = value;
        }

        double median(int method) {
            double[] sorted = values[method].clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }
    }
}
