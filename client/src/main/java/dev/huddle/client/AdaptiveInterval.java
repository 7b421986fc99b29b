package dev.huddle.client;

import java.time.Duration;
import java.time.Instant;

/**
 * The flush interval, adapted to how the server is doing. Pure: the caller feeds it answers and the time.
 *
 * <p>Target interval = {@code min + LATENCY_MULTIPLIER × EWMA(latency) + X-Client-Queue-Lag}, clamped to
 * [min, max]. The multiplier keeps a client's request time to about a fifth of its cycle, so a slow
 * server sees proportionally fewer requests; the server's lag hint is added as it asks ("wait that much
 * longer"). The interval jumps up to a higher target at once (back off fast) and comes down by halving
 * towards a lower one (recover without a thundering herd). {@code Retry-After} is separate: no request
 * before that instant, whatever the interval says.
 */
final class AdaptiveInterval {
    /** Weight of the newest latency sample in the EWMA: the last few requests dominate. */
    static final double LATENCY_WEIGHT = 0.3;
    static final int LATENCY_MULTIPLIER = 4;

    private final long minMillis;
    private final long maxMillis;
    private double latencyEwmaMillis = -1;
    private long intervalMillis;
    private Duration lastLatency = Duration.ZERO;
    private Instant notBefore = Instant.EPOCH;

    AdaptiveInterval(Duration min, Duration max) {
        if (min.isNegative() || min.isZero()) {
            throw new IllegalArgumentException("minInterval must be positive: " + min);
        }
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("maxInterval " + max + " < minInterval " + min);
        }
        this.minMillis = min.toMillis();
        this.maxMillis = max.toMillis();
        this.intervalMillis = minMillis;
    }

    /**
     * Records an HTTP answer (any status).
     *
     * @param queueLag the {@code X-Client-Queue-Lag} hint, zero when absent
     * @param retryAfter the {@code Retry-After} delay, zero when absent
     */
    synchronized void onAnswer(Duration latency, Duration queueLag, Duration retryAfter, Instant now) {
        long latencyMillis = latency.toMillis();
        latencyEwmaMillis = latencyEwmaMillis < 0 ? latencyMillis
                : latencyEwmaMillis + LATENCY_WEIGHT * (latencyMillis - latencyEwmaMillis);
        lastLatency = latency;
        long target = clamp(minMillis + Math.round(LATENCY_MULTIPLIER * latencyEwmaMillis) + queueLag.toMillis());
        intervalMillis = target >= intervalMillis ? target : Math.max(target, intervalMillis / 2);
        holdUntil(now.plus(retryAfter));
    }

    /** No request before {@code instant} (a {@code Retry-After}); an earlier hold is never shortened. */
    synchronized void holdUntil(Instant instant) {
        if (instant.isAfter(notBefore)) {
            notBefore = instant;
        }
    }

    synchronized Duration current() {
        return Duration.ofMillis(intervalMillis);
    }

    synchronized Instant notBefore() {
        return notBefore;
    }

    synchronized Duration lastLatency() {
        return lastLatency;
    }

    /** How long to wait from {@code now} before the next regular flush. */
    synchronized Duration nextDelay(Instant now) {
        Duration untilAllowed = Duration.between(now, notBefore);
        Duration interval = Duration.ofMillis(intervalMillis);
        return untilAllowed.compareTo(interval) > 0 ? untilAllowed : interval;
    }

    private long clamp(long millis) {
        return Math.max(minMillis, Math.min(maxMillis, millis));
    }
}
