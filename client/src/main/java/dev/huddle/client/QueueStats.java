package dev.huddle.client;

import java.time.Duration;
import java.time.Instant;
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
 * @param lastError the most recent attempt without a verdict on its events, in this run (null: none yet);
 *     it stays after the queue moves again, for diagnosis: {@code stalledSince} says whether it still holds
 * @param stalledSince null while every queue gets verdicts; else since when the longest-stalled queue got none
 * @param pausedUntil null unless a queue is paused (a 403 or 404 persisted): until when it sends nothing
 * @param damagedRegionsSkipped damaged stretches of queued records skipped when the queues were opened (each
 *     cost one or more events; a write torn by a crash at the end is not counted)
 */
public record QueueStats(int progressDepth, int analyticsDepth, int progressInFlight, int analyticsInFlight,
        Duration oldestAge, Duration lastLatency, Duration currentInterval, DeliveryError lastError,
        Instant stalledSince, Instant pausedUntil, int damagedRegionsSkipped) {
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
