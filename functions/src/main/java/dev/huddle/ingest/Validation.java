package dev.huddle.ingest;

import java.util.Objects;

/**
 * What validating one element of a request gave: a valid event, or a rejection reason together with the
 * event id when that id itself was usable (null otherwise).
 */
record Validation<T>(T event, String eventId, String reason) {

    public Validation {
        if ((event == null) == (reason == null)) {
            throw new IllegalArgumentException("exactly one of event and reason must be set");
        }
    }

    static <T> Validation<T> valid(T event, String eventId) {
        return new Validation<>(Objects.requireNonNull(event, "event == null"), eventId, null);
    }

    static <T> Validation<T> rejected(String eventId, String reason) {
        return new Validation<>(null, eventId, Objects.requireNonNull(reason, "reason == null"));
    }

    public boolean isValid() {
        return event != null;
    }
}
