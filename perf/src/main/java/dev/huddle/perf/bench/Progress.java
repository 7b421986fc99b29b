package dev.huddle.perf.bench;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/** Counts stored events and prints a progress line at most every two seconds. Thread-safe. */
final class Progress {
    private static final long INTERVAL_NANOS = 2_000_000_000L;

    private final String label;
    private final long total;
    private final PrintStream out;
    private final long start = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong lastPrint = new AtomicLong(start);

    Progress(String label, long total, PrintStream out) {
        this.label = label;
        this.total = total;
        this.out = out;
    }

    void stored(int events) {
        long now = System.nanoTime();
        long count = done.addAndGet(events);
        long last = lastPrint.get();
        if (now - last >= INTERVAL_NANOS && lastPrint.compareAndSet(last, now)) {
            double seconds = (now - start) / 1e9;
            out.printf("  %-28s %,7d / %,d events  %,9.0f events/s%n", label, count, total, count / seconds);
        }
    }
}
