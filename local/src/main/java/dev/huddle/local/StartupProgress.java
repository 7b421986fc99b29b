package dev.huddle.local;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Progress lines of a long-running start on stderr, one per step with its duration, e.g.
 * {@code [1/5] PostgreSQL 17 (embedded) ... ready in 0.9 s}. Stdout stays free for the functions' logs.
 */
public final class StartupProgress {
    private final PrintStream out;
    private final int totalSteps;
    private int step;

    public StartupProgress(PrintStream out, int totalSteps) {
        this.out = out;
        this.totalSteps = totalSteps;
    }

    /** Progress that prints nothing (tests). */
    public static StartupProgress silent() {
        return new StartupProgress(new PrintStream(java.io.OutputStream.nullOutputStream()), 0);
    }

    /** Runs one step, printing its label before and how long it took after. */
    public <T> T step(String label, Callable<T> work) {
        step++;
        out.printf("[%d/%d] %s ... ", step, totalSteps, label);
        out.flush();
        long start = System.nanoTime();
        try {
            T result = work.call();
            out.printf("ready in %s%n", seconds(Duration.ofNanos(System.nanoTime() - start)));
            return result;
        } catch (Exception e) {
            out.println("failed");
            throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(label + " failed", e);
        }
    }

    /** The steps begun so far. */
    public int stepsRun() {
        return step;
    }

    public static String seconds(Duration duration) {
        return String.format(java.util.Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
