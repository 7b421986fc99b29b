package dev.huddle.health;

import dev.huddle.common.DependencyUnavailableException;

/** One round trip that proves the database answers and reads the offline-queue backlog. */
public interface HealthProbe {

    record Result(long offlineQueueBacklog, double latencyMillis) {
    }

    /** @throws DependencyUnavailableException (or any runtime exception) when the database did not answer */
    Result probe();
}
