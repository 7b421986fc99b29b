package dev.huddle.rollup;

import java.util.Optional;
import java.util.Set;

/**
 * The ingest path's view of the rollup queue: "these orgs have new events". Fire and forget: it never
 * throws, because by the time it is called the events are committed, and a lost request only delays
 * the rollup until the scheduled sweep ({@link RollupScheduler}) finds the org.
 */
@FunctionalInterface
public interface RollupJobs {

    void requestRollups(Set<String> orgIds);

    /**
     * Makes the first call to the queue outside a request, at a cold start, so that the first request's send
     * finds the connection open and the SDK's request path loaded; queues nothing. Best effort.
     *
     * @return empty when the queue answered (or there is none), else what failed
     */
    default Optional<String> warmUp() {
        return Optional.empty();
    }

    /** For wiring without a queue (no ROLLUP_QUEUE_URL): the sweep alone triggers rollups. */
    static RollupJobs none() {
        return orgIds -> {
        };
    }
}
