package dev.huddle.rollup;

import java.util.Set;

/**
 * The ingest path's view of the rollup queue: "these orgs have new events". Fire and forget: it never
 * throws, because by the time it is called the events are committed, and a lost request only delays
 * the rollup until the scheduled sweep ({@link RollupScheduler}) finds the org.
 */
@FunctionalInterface
public interface RollupJobs {

    void requestRollups(Set<String> orgIds);

    /** For wiring without a queue (no ROLLUP_QUEUE_URL): the sweep alone triggers rollups. */
    static RollupJobs none() {
        return orgIds -> {
        };
    }
}
