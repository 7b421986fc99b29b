package dev.huddle.client;

import java.time.Instant;
import java.util.Objects;

/**
 * Why a queue's head batch is still queued: the last attempt got no verdict on its events. The events stay on
 * disk and are sent again (see the README's table, "Client library").
 *
 * @param queue the queue whose batch was kept
 * @param status the HTTP status, 0 when no answer arrived
 * @param description what happened, e.g. {@code HTTP 404 not_found} (never a request or answer body)
 * @param consecutiveFailures attempts in a row of this queue without a verdict, this one included
 * @param at when this attempt ended
 * @param stalledSince when the first of those attempts ended
 * @param pausedUntil null, or until when the queue sends nothing: a 403 or 404 persisted, and one probe batch
 *     is sent after this instant
 * @param queuedEvents events the queue holds
 */
public record DeliveryError(QueueName queue, int status, String description, int consecutiveFailures,
        Instant at, Instant stalledSince, Instant pausedUntil, int queuedEvents) {
    public DeliveryError {
        Objects.requireNonNull(queue, "queue == null");
        Objects.requireNonNull(description, "description == null");
        Objects.requireNonNull(at, "at == null");
        Objects.requireNonNull(stalledSince, "stalledSince == null");
    }

    public boolean paused() {
        return pausedUntil != null;
    }

    /** One line for a log: queue, what happened, since when, and whether the queue is paused. */
    @Override
    public String toString() {
        return "huddle-client " + queue.directoryName() + " queue: " + description
                + "; " + queuedEvents + " events kept, " + consecutiveFailures + " attempts without a verdict since "
                + stalledSince + (paused() ? "; paused until " + pausedUntil + ", then one probe batch" : "");
    }
}
