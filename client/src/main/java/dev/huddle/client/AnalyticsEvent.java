package dev.huddle.client;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A learning-analytics event, as the contract's AnalyticsEvent ({@code POST /api/analytics/events/batch}).
 *
 * @param eventId the idempotency key; a random one is generated when null, and it stays the same on every retry
 * @param name 1–100 characters
 * @param courseId optional (null)
 * @param lessonId optional (null)
 * @param properties optional, serialized with Jackson; at most 8 KB as JSON (checked by the server)
 */
public record AnalyticsEvent(String eventId, String name, String courseId, String lessonId,
        Map<String, Object> properties, Instant occurredAt) {

    public AnalyticsEvent {
        eventId = eventId == null ? ProgressEvent.newEventId() : eventId;
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(occurredAt, "occurredAt == null");
        properties = properties == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /** An analytics event with a generated event id, no course, lesson or properties. */
    public static AnalyticsEvent of(String name, Instant occurredAt) {
        return new AnalyticsEvent(null, name, null, null, Map.of(), occurredAt);
    }
}
