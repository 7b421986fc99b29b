package dev.huddle.ingest;

import java.time.Duration;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Decides the {@code X-Client-Queue-Lag} back-pressure hint of a 200.
 *
 * <p>Formula: while the EWMA of this container's database-call latency is above the SLO, the client is
 * asked to wait the excess, {@code ceil(ewma - slo)} milliseconds, longer before its next flush, capped at
 * {@link #MAX_LAG}. The excess grows with how far the database is behind, so clients back off in
 * proportion and return to their normal rhythm as soon as the average falls under the SLO (no header).
 * The cap keeps one bad minute from parking clients for long; in practice the statement timeout bounds
 * the latency first.
 */
final class QueueLagPolicy {
    static final String HEADER = "X-Client-Queue-Lag";
    static final Duration MAX_LAG = Duration.ofSeconds(30);

    private final double sloMillis;

    QueueLagPolicy(Duration slo) {
        this.sloMillis = slo.toMillis();
    }

    OptionalLong lagMillis(OptionalDouble ewmaMillis) {
        if (ewmaMillis.isEmpty() || ewmaMillis.getAsDouble() <= sloMillis) {
            return OptionalLong.empty();
        }
        long excess = (long) Math.ceil(ewmaMillis.getAsDouble() - sloMillis);
        return OptionalLong.of(Math.min(excess, MAX_LAG.toMillis()));
    }
}
