package dev.huddle.ingest;

import java.util.Objects;

/**
 * What became of one event of a request. {@code eventId} is null only for a rejected event without a
 * usable id, which is then identified by its {@code index} in the batch.
 */
record EventOutcome(String eventId, int index, Status status, String reason) {

    public enum Status { ACCEPTED, DUPLICATE, REJECTED }

    public EventOutcome {
        Objects.requireNonNull(status, "status == null");
        if (status == Status.REJECTED) {
            Objects.requireNonNull(reason, "reason == null for a rejected event");
        } else {
            Objects.requireNonNull(eventId, "eventId == null for an accepted or duplicate event");
        }
    }

    public static EventOutcome accepted(String eventId, int index) {
        return new EventOutcome(eventId, index, Status.ACCEPTED, null);
    }

    public static EventOutcome duplicate(String eventId, int index) {
        return new EventOutcome(eventId, index, Status.DUPLICATE, null);
    }

    public static EventOutcome rejected(String eventId, int index, String reason) {
        return new EventOutcome(eventId, index, Status.REJECTED, reason);
    }
}
