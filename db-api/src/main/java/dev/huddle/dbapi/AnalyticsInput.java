package dev.huddle.dbapi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;
import java.util.Objects;

/**
 * One element of {@code ingest_analytics_batch}'s input array (R__api_20_ingest_analytics_batch.sql).
 * {@code courseId}, {@code lessonId} and {@code properties} may be null and are then left out of the JSON:
 * without a course the procedure takes the learner's org from their earliest membership.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AnalyticsInput(
        String eventId,
        String name,
        String courseId,
        String lessonId,
        JsonNode properties,
        @JsonSerialize(using = ToStringSerializer.class) Instant occurredAt) {

    public AnalyticsInput {
        Objects.requireNonNull(eventId, "eventId == null");
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(occurredAt, "occurredAt == null");
    }
}
