package dev.huddle.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/** An analytics event that passed validation; courseId, lessonId and properties may be null. */
record AnalyticsEvent(
        String eventId,
        String name,
        String courseId,
        String lessonId,
        ObjectNode properties,
        Instant occurredAt) {

    public AnalyticsEvent {
        Objects.requireNonNull(eventId, "eventId == null");
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(occurredAt, "occurredAt == null");
    }
}
