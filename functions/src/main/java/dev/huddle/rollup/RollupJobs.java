package dev.huddle.rollup;

import java.util.Map;
import java.util.Optional;

/**
 * The ingest path's view of the rollup queue: "these orgs have new events, and this request claimed their
 * job for these buckets". Fire and forget: it never throws, because by the time it is called the events are
 * committed, and a lost request only delays the rollup until the next bucket's job or the scheduled sweep
 * ({@link RollupScheduler}) finds the org.
 */
@FunctionalInterface
public interface RollupJobs {

    /**
     * Queues one job per org.
     *
     * @param claimedBuckets org id to the fan-out bucket the request claimed for it in the database
     *     (sql/src/main/resources/db/migration/R__api_06_rollup_fanout.sql): exactly one request per org and
     *     bucket, whichever container serves it
     */
    void requestRollups(Map<String, Long> claimedBuckets);

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
        return claimedBuckets -> {
        };
    }
}
