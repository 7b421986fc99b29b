package dev.huddle.retention;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The time a retention run has left (Lambda's remaining time), so that it starts an export only when the
 * longest export seen so far still fits: a partition in parts ({@link SnapshotKeys#part}) then stops between
 * parts and the next run goes on from there, instead of the invocation dying in the middle of a COPY.
 */
final class RunBudget {
    /** Kept for writing the manifest, the drop and the report after the last export. */
    static final Duration MARGIN = Duration.ofSeconds(30);
    static final LongSupplier NO_DEADLINE = () -> Long.MAX_VALUE;

    private final LongSupplier remainingMillis;
    private long longestExportMillis;

    RunBudget(LongSupplier remainingMillis) {
        this.remainingMillis = remainingMillis;
    }

    /** Whether another export (as long as the longest so far) fits in the time left. */
    boolean allowsExport() {
        return remainingMillis.getAsLong() > longestExportMillis + MARGIN.toMillis();
    }

    /** Runs an export and remembers how long it took. */
    <T> T timeExport(Export<T> export) throws java.sql.SQLException, java.io.IOException {
        long started = System.nanoTime();
        try {
            return export.run();
        } finally {
            longestExportMillis = Math.max(longestExportMillis, (System.nanoTime() - started) / 1_000_000);
        }
    }

    @FunctionalInterface
    interface Export<T> {
        T run() throws java.sql.SQLException, java.io.IOException;
    }
}
