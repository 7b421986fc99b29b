package dev.huddle.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Keeps a failing dependency off the request path for a while: after a failure, {@link #allowsCall()}
 * says no for {@code openFor}, so a dead DynamoDB costs one timeout per period instead of one per
 * request. When the period ends, one caller is let through as a probe (the others keep being refused
 * for another period); its success closes the breaker, its failure opens it again.
 *
 * <p>In production each open period is drawn at random around its mean ({@link #jittered}). With a fixed
 * period, every container that saw the same slow moment of DynamoDB opened together, probed together
 * five seconds later, and sent its whole traffic back at once: the load test showed that herd as a burst
 * of timeouts every five to six seconds, each one opening every breaker again.
 */
final class CircuitBreaker {

    private static final long CLOSED = Long.MIN_VALUE;

    private final Clock clock;
    private final LongSupplier openPeriodMillis;
    /** CLOSED, or the epoch millisecond until which calls are skipped. */
    private final AtomicLong openUntil = new AtomicLong(CLOSED);

    /** A breaker whose every open period is exactly {@code openFor}. */
    CircuitBreaker(Duration openFor, Clock clock) {
        this(fixed(positiveMillis(openFor)), clock);
    }

    private CircuitBreaker(LongSupplier openPeriodMillis, Clock clock) {
        this.openPeriodMillis = openPeriodMillis;
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    /** A breaker whose open periods are uniform between half and one and a half times {@code mean}. */
    static CircuitBreaker jittered(Duration mean, Clock clock) {
        long millis = positiveMillis(mean);
        return new CircuitBreaker(() -> ThreadLocalRandom.current().nextLong(millis / 2, millis * 3 / 2 + 1), clock);
    }

    private static LongSupplier fixed(long millis) {
        return () -> millis;
    }

    private static long positiveMillis(Duration period) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("the open period must be positive: " + period);
        }
        return period.toMillis();
    }

    boolean allowsCall() {
        long until = openUntil.get();
        if (until == CLOSED) {
            return true;
        }
        long now = clock.millis();
        // Past the open period: exactly one caller wins the swap and probes; the rest wait one more period.
        return now >= until && openUntil.compareAndSet(until, now + openPeriodMillis.getAsLong());
    }

    void recordSuccess() {
        openUntil.set(CLOSED);
    }

    void recordFailure() {
        openUntil.set(clock.millis() + openPeriodMillis.getAsLong());
    }

    boolean isOpen() {
        return openUntil.get() != CLOSED;
    }
}
