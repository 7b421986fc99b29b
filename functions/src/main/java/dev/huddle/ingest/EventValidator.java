package dev.huddle.ingest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns one element of a request into a valid event or a rejection reason. Thread-safe.
 *
 * <p>Every kind of event starts the same way: an object with a usable {@code eventId} (a rejection
 * without one is reported by index); implementations only read their own fields.
 */
interface EventValidator<T> {

    default Validation<T> validate(JsonNode element) {
        if (element == null || !element.isObject()) {
            return Validation.rejected(null, RejectionReason.NOT_AN_OBJECT);
        }
        String eventId;
        try {
            eventId = FieldRules.eventId(element);
        } catch (EventRejected r) {
            return Validation.rejected(null, r.reason());
        }
        try {
            return Validation.valid(fields(eventId, element), eventId);
        } catch (EventRejected r) {
            return Validation.rejected(eventId, r.reason());
        }
    }

    /** The event of an object whose eventId is valid; throws {@link EventRejected} for a bad field. */
    T fields(String eventId, JsonNode element);
}
