package dev.huddle.client;

import java.time.Duration;
import java.util.Objects;

/**
 * A snapshot of the client's queues.
 *
 * @param progressDepth progress events on disk not yet answered by the server (including those in flight)
 * @param analyticsDepth the same for analytics events
 * @param progressInFlight progress events in the request now in flight (0: none)
 * @param analyticsInFlight analytics events in the request now in flight (0: none)
 * @param oldestAge how long the oldest queued event has waited (zero when both queues are empty)
 * @param lastLatency duration of the last request that got an HTTP answer (zero before the first)
 * @param currentInterval the adaptive flush interval now in force
 */
public record QueueStats(int progressDepth, int analyticsDepth, int progressInFlight, int analyticsInFlight,
        Duration oldestAge, Duration lastLatency, Duration currentInterval) {
    public QueueStats {
        Objects.requireNonNull(oldestAge, "oldestAge == null");
        Objects.requireNonNull(lastLatency, "lastLatency == null");
        Objects.requireNonNull(currentInterval, "currentInterval == null");
    }

    /** Events waiting in both queues. */
    public int totalDepth() {
        return progressDepth + analyticsDepth;
    }
}
