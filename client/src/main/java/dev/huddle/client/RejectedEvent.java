package dev.huddle.client;

import java.util.Objects;

/**
 * An event the server refused for good; it was removed from the queue and is never retried.
 *
 * @param queue the queue it came from
 * @param eventId its id (null when the server could not read one: then {@code index} says which)
 * @param reason the contract's reason code ({@code invalid_progressPercent}, {@code no_assignment}, ...) or,
 *     when the whole request was refused (a 400, 413 or 415 with the contract's error body), its error code
 *     ({@code payload_too_large}, ...)
 */
public record RejectedEvent(QueueName queue, String eventId, String reason) {
    public RejectedEvent {
        Objects.requireNonNull(queue, "queue == null");
        Objects.requireNonNull(reason, "reason == null");
    }
}
