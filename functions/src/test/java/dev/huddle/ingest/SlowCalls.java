package dev.huddle.ingest;

import java.time.Duration;

/**
 * A fake dependency that is slow on purpose: the call blocks its caller's thread for at least the given time
 * (as a network round trip does), so that the handler's own clocks have a known minimum to measure. Not a
 * wait for a condition: nothing here depends on how fast the machine is.
 */
final class SlowCalls {
    private SlowCalls() {
    }

    static void take(Duration delay) {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while playing a slow dependency", e);
        }
    }
}
