package dev.huddle.perf.loadtest;

import dev.huddle.sql.DemoData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Every request of a run, decided before the clock starts (open model: when a request is sent does not
 * depend on how fast the server answered the previous ones), with its body already serialized so the
 * sending thread only sends.
 *
 * <p>Each learner flushes once per period, progress and analytics together (two requests at the same
 * moment), starting at a random phase and jittered by up to ±10 % of the period; the period is chosen so
 * that all learners together send {@code rate} requests per second. The arrivals are as dense at the run's
 * edges as in its middle: a flush jittered out of the run is left out, and one jittered in from just
 * before the start is kept.
 */
final class LoadPlan {
    /** Bodies are kept in memory; beyond this a run would need gigabytes. */
    static final int MAX_REQUESTS = 2_000_000;

    /** One request: when (from the run's start), whose, where, what. */
    record PlannedRequest(long atNanos, DemoData.Learner learner, LoadRoute route, byte[] body, int events) {
    }

    private final List<PlannedRequest> requests;
    private final long events;
    private final Duration duration;
    private final double rate;
    private final String eventIdPrefix;

    private LoadPlan(List<PlannedRequest> requests, long events, Duration duration, double rate,
            String eventIdPrefix) {
        this.requests = requests;
        this.events = events;
        this.duration = duration;
        this.rate = rate;
        this.eventIdPrefix = eventIdPrefix;
    }

    /** The flush period of each learner when {@code learners} together send {@code rate} requests/s. */
    static Duration flushPeriod(int learners, double rate) {
        return Duration.ofNanos((long) (learners * (double) LoadRoute.values().length / rate * 1e9));
    }

    /** About how many requests a plan of {@code rate} for {@code duration} holds. */
    static long expectedRequests(double rate, Duration duration) {
        return (long) (rate * duration.toMillis() / 1000.0);
    }

    /** Refuses plans that together would hold more than {@link #MAX_REQUESTS} requests in memory. */
    static void requireWithinMemory(long requests) {
        if (requests > MAX_REQUESTS) {
            throw new IllegalArgumentException("a run of " + requests + " requests is over the " + MAX_REQUESTS
                    + " this tool keeps in memory: shorten --duration or --warm-up, or lower --rate");
        }
    }

    static LoadPlan build(int learners, double rate, Duration duration, int eventsPerRequest, String eventIdPrefix,
            long seed) {
        long periodNanos = flushPeriod(learners, rate).toNanos();
        long durationNanos = duration.toNanos();
        long expected = expectedRequests(rate, duration);
        requireWithinMemory(expected);
        SplittableRandom random = new SplittableRandom(seed);
        EventBodies bodies = new EventBodies(eventIdPrefix, seed);
        Instant now = Instant.now();
        List<PlannedRequest> requests = new ArrayList<>((int) (expected * 1.1) + 16);
        for (int n = 1; n <= learners; n++) {
            DemoData.Learner learner = DemoData.learner(n);
            long phase = random.nextLong(periodNanos);
            // From the flush before the window: jittered later, it may fall into the run's first moments.
            for (long flush = phase - periodNanos; flush < durationNanos + periodNanos; flush += periodNanos) {
                long jitter = (long) ((random.nextDouble() - 0.5) * 0.2 * periodNanos);
                long at = flush + jitter;
                if (at < 0 || at >= durationNanos) {
                    // Outside the run. Clamped to its edges instead, these flushes made a burst of about
                    // 2.5 % of the learners at the first and the last instant: 250 requests at once at the
                    // seed's rate, which the measured p95 of the run's first second showed.
                    continue;
                }
                for (LoadRoute route : LoadRoute.values()) {
                    requests.add(new PlannedRequest(at, learner, route,
                            bodies.batch(route, learner, eventsPerRequest, now), eventsPerRequest));
                }
            }
        }
        requests.sort(Comparator.comparingLong(PlannedRequest::atNanos));
        return new LoadPlan(List.copyOf(requests), bodies.eventsBuilt(), duration, rate, eventIdPrefix);
    }

    List<PlannedRequest> requests() {
        return requests;
    }

    long events() {
        return events;
    }

    Duration duration() {
        return duration;
    }

    double rate() {
        return rate;
    }

    /** What every event id of this plan starts with (and no other plan's of the same command). */
    String eventIdPrefix() {
        return eventIdPrefix;
    }
}
