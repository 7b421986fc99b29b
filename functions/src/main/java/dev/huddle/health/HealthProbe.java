package dev.huddle.health;

import dev.huddle.common.DependencyUnavailableException;

/** One round trip that proves the database answers and reads the offline-queue backlog and the rollup lag. */
interface HealthProbe {

    /**
     * @param offlineQueueBacklog the sum of the offline-queue depths clients reported in the last 15 minutes
     * @param latencyMillis the round trip
     * @param rollupLagSeconds how long the oldest event not yet rolled up has waited (0 when none waits)
     */
    record Result(long offlineQueueBacklog, double latencyMillis, long rollupLagSeconds) {
    }

    /** @throws DependencyUnavailableException (or any runtime exception) when the database did not answer */
    Result probe();
}
