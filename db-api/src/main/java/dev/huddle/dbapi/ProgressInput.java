package dev.huddle.dbapi;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One element of {@code upsert_progress_batch}'s input array (R__api_10_upsert_progress_batch.sql), written
 * as JSON under these names. {@code type} is {@code lesson_progress} or {@code lesson_completed}; the
 * procedure stores 100 % for a completion whatever the percentage says.
 */
public record ProgressInput(
        String eventId,
        String type,
        String courseId,
        String lessonId,
        BigDecimal progressPercent,
        int timeSpentSeconds,
        // ISO-8601 text, as the procedure's timestamptz cast reads it (no Jackson time module needed).
        @JsonSerialize(using = ToStringSerializer.class) Instant occurredAt) {

    public ProgressInput {
        Objects.requireNonNull(eventId, "eventId == null");
        Objects.requireNonNull(type, "type == null");
        Objects.requireNonNull(courseId, "courseId == null");
        Objects.requireNonNull(lessonId, "lessonId == null");
        Objects.requireNonNull(progressPercent, "progressPercent == null");
        Objects.requireNonNull(occurredAt, "occurredAt == null");
    }
}
