package dev.huddle.client;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A learner's progress on a lesson, as the contract's ProgressEvent ({@code POST /api/client/progress/batch}).
 * The server validates ranges and ids; this record only refuses what cannot be sent at all.
 *
 * @param eventId the idempotency key; a random one is generated when null, and it stays the same on every retry
 * @param type {@code lesson_progress} or {@code lesson_completed}
 * @param progressPercent 0–100
 * @param timeSpentSeconds 0–86,400
 */
public record ProgressEvent(String eventId, Type type, String courseId, String lessonId, double progressPercent,
        int timeSpentSeconds, Instant occurredAt) {

    /** The contract's progress event types. */
    public enum Type {
        LESSON_PROGRESS("lesson_progress"),
        LESSON_COMPLETED("lesson_completed");

        private final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        /** The value of the JSON field {@code type}. */
        public String wireName() {
            return wireName;
        }
    }

    public ProgressEvent {
        eventId = eventId == null ? newEventId() : eventId;
        Objects.requireNonNull(type, "type == null");
        Objects.requireNonNull(courseId, "courseId == null");
        Objects.requireNonNull(lessonId, "lessonId == null");
        Objects.requireNonNull(occurredAt, "occurredAt == null");
    }

    /** A progress event with a generated event id. */
    public static ProgressEvent of(Type type, String courseId, String lessonId, double progressPercent,
            int timeSpentSeconds, Instant occurredAt) {
        return new ProgressEvent(null, type, courseId, lessonId, progressPercent, timeSpentSeconds, occurredAt);
    }

    /** 36 characters of {@code [0-9a-f-]}: inside the contract's 8–128 characters of {@code [A-Za-z0-9._:-]}. */
    static String newEventId() {
        return UUID.randomUUID().toString();
    }
}
