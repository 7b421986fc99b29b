package dev.huddle.local.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline, checking it every few milliseconds (no fixed sleeps). */
public final class Eventually {
    private static final Duration CHECK_EVERY = Duration.ofMillis(20);

    private Eventually() {
    }

    /** Returns how long it took; fails with {@code what} when the condition is still false at the deadline. */
    public static Duration await(String what, Duration timeout, BooleanSupplier condition) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            LockSupport.parkNanos(CHECK_EVERY.toNanos());
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
