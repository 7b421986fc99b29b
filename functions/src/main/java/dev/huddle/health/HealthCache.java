package dev.huddle.health;

import dev.huddle.common.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Answers {@code GET /api/health} from the last probe result while it is younger than {@link #MAX_AGE}:
 * the route needs no token, so without this every anonymous request would cost the database a query.
 * At most one refresh runs at a time in a container; while it runs, other callers get the previous answer
 * (never older than the refresh's own duration past MAX_AGE), and only the very first callers, with no
 * answer yet, wait for it. Errors are cached like answers: a 503 from a dead database is the answer for
 * the next second too, which is the point of shedding probe traffic.
 */
final class HealthCache {
    /** Short enough that a monitor polling every few seconds always sees a fresh probe. */
    static final Duration MAX_AGE = Duration.ofSeconds(1);

    private final Supplier<HttpResponse> probe;
    private final LongSupplier nanoTime;
    private final long maxAgeNanos;
    private final ReentrantLock refreshing = new ReentrantLock();
    private volatile Entry latest;

    HealthCache(Supplier<HttpResponse> probe, Duration maxAge, LongSupplier nanoTime) {
        this.probe = probe;
        this.nanoTime = nanoTime;
        this.maxAgeNanos = maxAge.toNanos();
    }

    HttpResponse answer() {
        Entry current = latest;
        if (current != null && isFresh(current)) {
            return current.response();
        }
        if (current != null && !refreshing.tryLock()) {
            return current.response();
        }
        if (current == null) {
            refreshing.lock();
        }
        try {
            current = latest;
            if (current == null || !isFresh(current)) {
                current = new Entry(probe.get(), nanoTime.getAsLong());
                latest = current;
            }
            return current.response();
        } finally {
            refreshing.unlock();
        }
    }

    private boolean isFresh(Entry entry) {
        return nanoTime.getAsLong() - entry.probedAtNanos() < maxAgeNanos;
    }

    private record Entry(HttpResponse response, long probedAtNanos) {
    }
}
