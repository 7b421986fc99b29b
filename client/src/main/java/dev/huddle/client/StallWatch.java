package dev.huddle.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One queue's run of attempts without a verdict on their events: how many, since when, the last error, and
 * the pause rule.
 *
 * <p><b>Pause rule.</b> {@value #BLOCKED_IN_A_ROW_TO_PAUSE} answers in a row that are 403 or 404 (a few
 * seconds apart under the backoff) mean the route is missing or refused for this client: a wrong baseUrl, a
 * stage not deployed, a proxy or firewall. Retrying every few seconds would not help and deleting would lose
 * learner data, so the queue pauses for {@code pausePeriod}; then one batch probes. A verdict on the probe
 * resumes the queue; another 403 or 404 pauses it again; any other failure goes back to the usual backoff.
 */
final class StallWatch {
    static final int BLOCKED_IN_A_ROW_TO_PAUSE = 3;

    private final QueueName queue;
    private final Duration pausePeriod;
    private int failures;
    private int blockedInARow;
    private Instant stalledSince;
    private Instant pausedUntil;
    private DeliveryError lastError;

    StallWatch(QueueName queue, Duration pausePeriod) {
        this.queue = queue;
        this.pausePeriod = pausePeriod;
    }

    synchronized void onVerdict() {
        failures = 0;
        blockedInARow = 0;
        stalledSince = null;
        pausedUntil = null;
    }

    /** Records an attempt whose events were kept; returns the report for {@code onError}. */
    synchronized DeliveryError onKept(BatchResult result, Instant now, int queuedEvents) {
        failures++;
        if (stalledSince == null) {
            stalledSince = now;
        }
        blockedInARow = result.outcome() == BatchResult.Outcome.BLOCKED ? blockedInARow + 1 : 0;
        pausedUntil = blockedInARow >= BLOCKED_IN_A_ROW_TO_PAUSE ? now.plus(pausePeriod) : null;
        lastError = new DeliveryError(queue, result.status(), result.error(), failures, now, stalledSince,
                pausedUntil, queuedEvents);
        return lastError;
    }

    synchronized int failures() {
        return failures;
    }

    /** Until when the queue sends nothing, if it is paused at {@code now}. */
    synchronized Optional<Instant> pausedAt(Instant now) {
        return pausedUntil != null && now.isBefore(pausedUntil) ? Optional.of(pausedUntil) : Optional.empty();
    }

    synchronized Optional<Instant> stalledSince() {
        return Optional.ofNullable(stalledSince);
    }

    synchronized Optional<DeliveryError> lastError() {
        return Optional.ofNullable(lastError);
    }
}
