package dev.huddle.ingest;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/** A progress event that passed validation; {@code progressPercent} is 100 for a completion. */
public record ProgressEvent(
        String eventId,
        Type type,
        String courseId,
        String lessonId,
        BigDecimal progressPercent,
        int timeSpentSeconds,
        Instant occurredAt) {

    public enum Type {
        LESSON_PROGRESS("lesson_progress"),
        LESSON_COMPLETED("lesson_completed");

        private final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    public ProgressEvent {
        Objects.requireNonNull(eventId, "eventId == null");
        Objects.requireNonNull(type, "type == null");
        Objects.requireNonNull(courseId, "courseId == null");
        Objects.requireNonNull(lessonId, "lessonId == null");
        Objects.requireNonNull(progressPercent, "progressPercent == null");
        Objects.requireNonNull(occurredAt, "occurredAt == null");
    }
}
