package dev.huddle.client;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * Jittered exponential backoff for retries ("equal jitter"): attempt n waits a random time in
 * [d/2, d] with {@code d = min(cap, base × 2^(n-1))}. The random half spreads clients that failed
 * together (an outage ends for everyone at once); the fixed half keeps a retry from coming back at once.
 */
final class Backoff {
    private final long baseMillis;
    private final long capMillis;
    /** Given a bound b > 0, returns a value in [0, b). */
    private final LongUnaryOperator random;

    Backoff(Duration base, Duration cap, LongUnaryOperator random) {
        this.baseMillis = Math.max(1, base.toMillis());
        this.capMillis = Math.max(baseMillis, cap.toMillis());
        this.random = random;
    }

    /** The wait before retry number {@code attempt} (1 for the first retry). */
    Duration delay(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1: " + attempt);
        }
        int doublings = Math.min(attempt - 1, 30);
        long ceiling = Math.min(capMillis, baseMillis << doublings);
        long half = ceiling / 2;
        return Duration.ofMillis(ceiling - half + random.applyAsLong(half + 1));
    }
}
