package dev.huddle.sql;

import static dev.huddle.sql.support.Outcome.accepted;
import static dev.huddle.sql.support.Outcome.duplicate;
import static dev.huddle.sql.support.Outcome.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.dbapi.AnalyticsInput;
import dev.huddle.sql.support.Db;
import dev.huddle.sql.support.Outcome;
import dev.huddle.sql.support.Procedures;
import dev.huddle.sql.support.TestEvents;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Behaviour of huddle_api.ingest_analytics_batch on the demo data (one learner per test). */
class IngestAnalyticsBatchTest {
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private static DataSource db;
    private static Procedures procedures;

    @BeforeAll
    static void seed() {
        db = Db.seeded();
        procedures = new Procedures(db);
    }

    @Test
    void anEventWithoutACourse_takesTheOrgOfTheLearnersMembership_andKeepsItsProperties() throws SQLException {
        List<AnalyticsInput> events = List.of(event("an-nocourse-1", "app_opened", null,
                Map.of("screen", "home", "attempt", 2)));

        assertThat(procedures.ingestAnalytics("learner-0002", events)).containsExactly(accepted(0, "an-nocourse-1"));
        assertThat(Db.rows(db, "SELECT org_id, name, properties->>'screen' AS screen, (properties->>'attempt')::int AS attempt"
                + " FROM huddle.analytics_events WHERE user_id = 'learner-0002'"))
                .containsExactly("org_id=org-2|name=app_opened|screen=home|attempt=2");
    }

    @Test
    void anEventNamingAnAssignedCourse_takesTheCoursesOrg_andAnUnassignedCourseIsRejected() throws SQLException {
        List<Outcome> outcomes = procedures.ingestAnalytics("learner-0003", List.of(
                event("an-course-1", "video_play", "course-301", null),
                event("an-course-2", "video_play", "course-101", null)));

        assertThat(outcomes).containsExactly(accepted(0, "an-course-1"), rejected(1, "an-course-2", "no_assignment"));
        assertThat(Db.rows(db, "SELECT event_id, org_id, course_id FROM huddle.analytics_events WHERE user_id = 'learner-0003'"))
                .containsExactly("event_id=an-course-1|org_id=org-3|course_id=course-301");
    }

    @Test
    void aUserWithoutMembership_isRejectedWithNoAssignment() throws SQLException {
        assertThat(procedures.ingestAnalytics("stranger-1", List.of(event("an-stranger-1", "app_opened", null, null))))
                .containsExactly(rejected(0, "an-stranger-1", "no_assignment"));
        assertThat(Db.value(db, "SELECT count(*) FROM huddle.analytics_events WHERE user_id = 'stranger-1'")).isEqualTo("0");
    }

    @Test
    void retriesAndLaterCopiesInTheSameBatch_areDuplicates_storedOnce() throws SQLException {
        AnalyticsInput first = event("an-dup-1", "quiz_started", null, Map.of("quiz", "q1"));
        procedures.ingestAnalytics("learner-0005", List.of(first));

        List<Outcome> outcomes = procedures.ingestAnalytics("learner-0005",
                List.of(first, event("an-dup-2", "quiz_done", null, null), event("an-dup-2", "quiz_done", null, null)));

        assertThat(outcomes).containsExactly(duplicate(0, "an-dup-1"), accepted(1, "an-dup-2"), duplicate(2, "an-dup-2"));
        assertThat(Db.value(db, "SELECT count(*) FROM huddle.analytics_events WHERE user_id = 'learner-0005'")).isEqualTo("2");
    }

    @Test
    void missingProperties_areStoredAsAnEmptyObject() throws SQLException {
        procedures.ingestAnalytics("learner-0008", List.of(event("an-empty-1", "app_closed", null, null)));

        assertThat(Db.value(db, "SELECT properties::text FROM huddle.analytics_events WHERE user_id = 'learner-0008'"))
                .isEqualTo("{}");
    }

    private static AnalyticsInput event(String eventId, String name, String courseId, Map<String, Object> properties) {
        return TestEvents.analytics(eventId, name, courseId, properties, NOW);
    }
}
