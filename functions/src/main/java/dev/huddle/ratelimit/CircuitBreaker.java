package dev.huddle.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps a failing dependency off the request path for a while: after a failure, {@link #allowsCall()}
 * says no for {@code openFor}, so a dead DynamoDB costs one timeout per period instead of one per
 * request. When the period ends, one caller is let through as a probe (the others keep being refused
 * for another period); its success closes the breaker, its failure opens it again.
 */
final class CircuitBreaker {

    private static final long CLOSED = Long.MIN_VALUE;

    private final Clock clock;
    private final long openForMillis;
    /** CLOSED, or the epoch millisecond until which calls are skipped. */
    private final AtomicLong openUntil = new AtomicLong(CLOSED);

    CircuitBreaker(Duration openFor, Clock clock) {
        if (openFor.isNegative() || openFor.isZero()) {
            throw new IllegalArgumentException("openFor must be positive: " + openFor);
        }
        this.openForMillis = openFor.toMillis();
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    boolean allowsCall() {
        long until = openUntil.get();
        if (until == CLOSED) {
            return true;
        }
        long now = clock.millis();
        // Past the open period: exactly one caller wins the swap and probes; the rest wait one more period.
        return now >= until && openUntil.compareAndSet(until, now + openForMillis);
    }

    void recordSuccess() {
        openUntil.set(CLOSED);
    }

    void recordFailure() {
        openUntil.set(clock.millis() + openForMillis);
    }

    boolean isOpen() {
        return openUntil.get() != CLOSED;
    }
}
