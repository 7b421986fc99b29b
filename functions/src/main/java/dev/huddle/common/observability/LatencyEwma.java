package dev.huddle.common.observability;

import java.util.OptionalDouble;

/**
 * An exponentially weighted moving average of a latency, per container. Each sample moves the average
 * by {@link #ALPHA} of the difference, so the last ~10 calls dominate: quick to notice a slow database,
 * not thrown off by one outlier. Thread-safe.
 */
public final class LatencyEwma {
    /** Weight of the newest sample. */
    public static final double ALPHA = 0.2;

    private static final LatencyEwma DATABASE_CALLS = new LatencyEwma();

    private double averageMillis;
    private long samples;

    /**
     * The average of this container's event-store calls, shared by the ingest path (back-pressure header)
     * and the health check, which reports it when both run in the same JVM (the local stack).
     */
    public static LatencyEwma databaseCalls() {
        return DATABASE_CALLS;
    }

    public synchronized void record(double millis) {
        averageMillis = samples == 0 ? millis : averageMillis + ALPHA * (millis - averageMillis);
        samples++;
    }

    /** Empty until the first sample. */
    public synchronized OptionalDouble averageMillis() {
        return samples == 0 ? OptionalDouble.empty() : OptionalDouble.of(averageMillis);
    }
}
