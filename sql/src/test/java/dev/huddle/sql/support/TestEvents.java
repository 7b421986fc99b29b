package dev.huddle.sql.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.huddle.dbapi.AnalyticsInput;
import dev.huddle.dbapi.ProgressInput;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/** Procedure inputs on the demo data, as the ingest Lambda passes them after validation. */
public final class TestEvents {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestEvents() {
    }

    public static ProgressInput progress(String eventId, String lessonId, double percent, int seconds, Instant at) {
        return new ProgressInput(eventId, "lesson_progress", courseOf(lessonId), lessonId, BigDecimal.valueOf(percent),
                seconds, at);
    }

    public static ProgressInput completion(String eventId, String lessonId, int seconds, Instant at) {
        return new ProgressInput(eventId, "lesson_completed", courseOf(lessonId), lessonId, BigDecimal.valueOf(100),
                seconds, at);
    }

    /** The same event claiming another course (for rejection tests). */
    public static ProgressInput inCourse(ProgressInput event, String otherCourseId) {
        return new ProgressInput(event.eventId(), event.type(), otherCourseId, event.lessonId(),
                event.progressPercent(), event.timeSpentSeconds(), event.occurredAt());
    }

    /** An analytics event; {@code courseId} and {@code properties} may be null (left out). */
    public static AnalyticsInput analytics(String eventId, String name, String courseId,
            Map<String, Object> properties, Instant at) {
        return new AnalyticsInput(eventId, name, courseId, null,
                properties == null ? null : JSON.valueToTree(properties), at);
    }

    /** Demo lesson ids are {@code <courseId>-lesson-NN}. */
    private static String courseOf(String lessonId) {
        return lessonId.substring(0, lessonId.indexOf("-lesson-"));
    }
}
