package dev.huddle.sql.support;

import java.time.Instant;

/** A progress event as the ingest Lambda passes it to upsert_progress_batch. */
public record ProgressEvent(
        String eventId,
        String type,
        String courseId,
        String lessonId,
        double progressPercent,
        int timeSpentSeconds,
        Instant occurredAt) {

    public static ProgressEvent progress(String eventId, String lessonId, double percent, int seconds, Instant at) {
        return new ProgressEvent(eventId, "lesson_progress", courseOf(lessonId), lessonId, percent, seconds, at);
    }

    public static ProgressEvent completion(String eventId, String lessonId, int seconds, Instant at) {
        return new ProgressEvent(eventId, "lesson_completed", courseOf(lessonId), lessonId, 100, seconds, at);
    }

    /** The same event claiming another course (for rejection tests). */
    public ProgressEvent inCourse(String otherCourseId) {
        return new ProgressEvent(eventId, type, otherCourseId, lessonId, progressPercent, timeSpentSeconds, occurredAt);
    }

    /** Demo lesson ids are {@code <courseId>-lesson-NN}. */
    private static String courseOf(String lessonId) {
        return lessonId.substring(0, lessonId.indexOf("-lesson-"));
    }
}
