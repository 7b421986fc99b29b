package dev.huddle.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import dev.huddle.common.db.DatabaseConnection;
import dev.huddle.common.http.HttpResponse;
import dev.huddle.common.observability.LatencyEwma;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: a lesson deleted or moved to another course after a learner completed it must not break the
 * course recompute (completed_lessons > total_lessons failed a CHECK: 500 on every later batch of the
 * course, retried by the client forever). Through the real service and store, as huddle_ingest.
 */
class CatalogueChangePostgresTest {
    private final IngestDatabase db = IngestDatabase.create();
    private final DatabaseConnection connection =
            new DatabaseConnection(db.factory(Duration.ofSeconds(3), "huddle-ingest-catalogue", null));
    private final IngestService service = new IngestService(IngestConfig.from(Map.of()), new FakeRateLimiter(),
            new PostgresEventStore(connection), ProgressEventValidatorTest.CLOCK, new LatencyEwma(), line -> { });

    @AfterEach
    void close() {
        connection.close();
    }

    @Test
    void aBatchAfterALessonWasDeletedAndAnotherMoved_isAccepted_withFiguresOfTheCourseAsItIsNow() throws Exception {
        List<String> completions = new ArrayList<>();
        for (int n = 1; n <= 10; n++) {
            completions.add(event("cat-done-" + n, "lesson_completed", "course-105-lesson-%02d".formatted(n)));
        }
        assertThat(post(completions).status()).isEqualTo(200);
        assertThat(courseProgress()).isEqualTo("10/10 100.00 completed");

        admin("DELETE FROM huddle.lessons WHERE lesson_id = 'course-105-lesson-01'");
        admin("UPDATE huddle.lessons SET course_id = 'course-106', position = 11 WHERE lesson_id = 'course-105-lesson-02'");
        HttpResponse after = post(List.of(event("cat-after-1", "lesson_progress", "course-105-lesson-03")));

        assertThat(after.status()).as(after.body()).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(after.body());
        assertThat(body.get("accepted")).hasSize(1);
        assertThat(courseProgress()).isEqualTo("8/8 100.00 completed");
    }

    private static String event(String eventId, String type, String lessonId) {
        return """
                {"eventId":"%s","type":"%s","courseId":"course-105","lessonId":"%s",
                 "progressPercent":50,"timeSpentSeconds":30,"occurredAt":"2026-11-28T11:00:00Z"}"""
                .formatted(eventId, type, lessonId);
    }

    private HttpResponse post(List<String> events) {
        return service.handle(IngestRoute.PROGRESS_BATCH,
                TestRequests.post(IngestServiceTest.batch(events.toArray(String[]::new))).build());
    }

    private String courseProgress() throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT completed_lessons || '/' || total_lessons || ' ' || progress_percent"
                        + " || CASE WHEN completed_at IS NULL THEN '' ELSE ' completed' END"
                        + " FROM huddle.user_course_progress WHERE user_id = 'learner-0001' AND course_id = 'course-105'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private void admin(String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
