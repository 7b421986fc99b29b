package dev.huddle.sql;

import static dev.huddle.sql.support.Outcome.accepted;
import static dev.huddle.sql.support.Outcome.duplicate;
import static dev.huddle.sql.support.Outcome.rejected;
import static dev.huddle.sql.support.TestEvents.completion;
import static dev.huddle.sql.support.TestEvents.inCourse;
import static dev.huddle.sql.support.TestEvents.progress;
import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.dbapi.ProgressInput;
import dev.huddle.sql.support.Db;
import dev.huddle.sql.support.Outcome;
import dev.huddle.sql.support.Procedures;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Behaviour of huddle_api.upsert_progress_batch on the demo data. One seeded database for the class;
 * every test writes for its own org-1 learner, so tests do not see each other's rows.
 */
class UpsertProgressBatchTest {
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final AtomicInteger NEXT_LEARNER = new AtomicInteger();
    private static final String LESSON_1 = "course-101-lesson-01";
    private static final String LESSON_2 = "course-101-lesson-02";

    private static DataSource db;
    private static Procedures procedures;

    private final String learner = nextOrg1Learner();

    @BeforeAll
    static void seed() {
        db = Db.seeded();
        procedures = new Procedures(db);
    }

    @Test
    void acceptsNewEvents_withOneResultPerElementInInputOrder() throws SQLException {
        List<Outcome> outcomes = procedures.upsertProgress(learner, List.of(
                progress("evt-accept-1", LESSON_1, 40, 30, NOW.minusSeconds(60)),
                progress("evt-accept-2", LESSON_2, 10, 5, NOW.minusSeconds(30)),
                completion("evt-accept-3", LESSON_1, 20, NOW)));

        assertThat(outcomes).containsExactly(
                accepted(0, "evt-accept-1"), accepted(1, "evt-accept-2"), accepted(2, "evt-accept-3"));
        assertThat(eventCount()).isEqualTo(3);
    }

    @Test
    void theSameBatchAgain_isAllDuplicates_andCountedOnce() throws SQLException {
        List<ProgressInput> batch = List.of(
                progress("evt-again-1", LESSON_1, 40, 30, NOW.minusSeconds(60)),
                progress("evt-again-2", LESSON_1, 60, 15, NOW));
        procedures.upsertProgress(learner, batch);
        List<String> lessonAfterFirst = lessonRows();

        List<Outcome> second = procedures.upsertProgress(learner, batch);

        assertThat(second).containsExactly(duplicate(0, "evt-again-1"), duplicate(1, "evt-again-2"));
        assertThat(lessonRows()).isEqualTo(lessonAfterFirst);
        assertThat(lesson(LESSON_1, "time_spent_seconds")).isEqualTo("45");
        assertThat(eventCount()).isEqualTo(2);
    }

    @Test
    void aLateRetryOfAnOldEvent_daysLater_isADuplicate_andCountedOnce() throws SQLException {
        Instant twentyDaysAgo = NOW.minus(20, ChronoUnit.DAYS);
        ProgressInput old = progress("evt-late-1", LESSON_1, 30, 100, twentyDaysAgo);
        assertThat(procedures.upsertProgress(learner, List.of(old))).containsExactly(accepted(0, "evt-late-1"));
        // "Days later": other batches arrive in between, with newer events in newer partitions.
        procedures.upsertProgress(learner, List.of(progress("evt-late-2", LESSON_1, 50, 10, NOW.minus(3, ChronoUnit.DAYS))));
        procedures.upsertProgress(learner, List.of(progress("evt-late-3", LESSON_2, 20, 10, NOW)));

        List<Outcome> retry = procedures.upsertProgress(learner, List.of(old, progress("evt-late-4", LESSON_2, 25, 1, NOW)));

        assertThat(retry).containsExactly(duplicate(0, "evt-late-1"), accepted(1, "evt-late-4"));
        assertThat(lesson(LESSON_1, "time_spent_seconds")).isEqualTo("110");
        assertThat(Db.value(db, "SELECT tableoid::regclass::text FROM huddle.progress_events"
                + " WHERE user_id = ? AND event_id = 'evt-late-1'", learner))
                .isEqualTo("huddle.progress_events_p" + DateTimeFormatter.ofPattern("yyyyMMdd").format(twentyDaysAgo.atZone(ZoneOffset.UTC)));
        assertThat(eventCount()).isEqualTo(4);
    }

    @Test
    void aLaterCopyInsideTheSameBatch_isADuplicate_andCountedOnce() throws SQLException {
        ProgressInput event = progress("evt-twice-1", LESSON_1, 30, 40, NOW);

        List<Outcome> outcomes = procedures.upsertProgress(learner, List.of(event, progress("evt-twice-2", LESSON_1, 35, 2, NOW), event));

        assertThat(outcomes).containsExactly(accepted(0, "evt-twice-1"), accepted(1, "evt-twice-2"), duplicate(2, "evt-twice-1"));
        assertThat(lesson(LESSON_1, "time_spent_seconds")).isEqualTo("42");
    }

    @Test
    void anEventIdReusedWithAnotherOccurredAt_isADifferentEvent() throws SQLException {
        List<Outcome> outcomes = procedures.upsertProgress(learner, List.of(
                progress("evt-reused-1", LESSON_1, 30, 40, NOW.minusSeconds(5)),
                progress("evt-reused-1", LESSON_1, 30, 40, NOW)));

        assertThat(outcomes).containsExactly(accepted(0, "evt-reused-1"), accepted(1, "evt-reused-1"));
    }

    @Test
    void aCourseTheLearnerIsNotAssigned_isRejectedWithNoAssignment_andWritesNothing() throws SQLException {
        List<Outcome> outcomes = procedures.upsertProgress(learner, List.of(
                progress("evt-other-org", "course-201-lesson-01", 30, 40, NOW),
                inCourse(progress("evt-no-course", LESSON_1, 30, 40, NOW), "course-999"),
                progress("evt-fine", LESSON_1, 30, 40, NOW)));

        assertThat(outcomes).containsExactly(
                rejected(0, "evt-other-org", "no_assignment"),
                rejected(1, "evt-no-course", "no_assignment"),
                accepted(2, "evt-fine"));
        assertThat(eventCount()).isEqualTo(1);
        assertThat(Db.rows(db, "SELECT course_id FROM huddle.user_course_progress WHERE user_id = ?", learner))
                .containsExactly("course_id=course-101");
    }

    @Test
    void aLessonOutsideTheNamedCourse_orUnknown_isRejectedWithUnknownLesson() throws SQLException {
        List<Outcome> outcomes = procedures.upsertProgress(learner, List.of(
                inCourse(progress("evt-wrong-course", "course-102-lesson-01", 30, 40, NOW), "course-101"),
                progress("evt-no-lesson", "course-101-lesson-11", 30, 40, NOW)));

        assertThat(outcomes).containsExactly(
                rejected(0, "evt-wrong-course", "unknown_lesson"),
                rejected(1, "evt-no-lesson", "unknown_lesson"));
        assertThat(eventCount()).isZero();
        assertThat(lessonRows()).isEmpty();
        assertThat(Db.rows(db, "SELECT 1 FROM huddle.user_course_progress WHERE user_id = ?", learner)).isEmpty();
    }

    @Test
    void progressPercent_isTheMaximumSeen_whateverTheArrivalOrder() throws SQLException {
        procedures.upsertProgress(learner, List.of(progress("evt-max-1", LESSON_1, 80, 1, NOW.minusSeconds(60))));
        procedures.upsertProgress(learner, List.of(progress("evt-max-2", LESSON_1, 30.5, 1, NOW)));

        assertThat(lesson(LESSON_1, "progress_percent")).isEqualTo("80.00");
        assertThat(lesson(LESSON_1, "completed")).isEqualTo("false");
    }

    @Test
    void aLessonStaysCompleted_onceAnyCompletionArrived_andCompletionMeansOneHundredPercent() throws SQLException {
        procedures.upsertProgress(learner, List.of(completion("evt-done-1", LESSON_1, 1, NOW.minusSeconds(60))));
        procedures.upsertProgress(learner, List.of(progress("evt-done-2", LESSON_1, 20, 1, NOW)));

        assertThat(lesson(LESSON_1, "completed")).isEqualTo("true");
        assertThat(lesson(LESSON_1, "progress_percent")).isEqualTo("100.00");
    }

    @Test
    void completedAt_isTheEarliestCompletion_evenWhenItArrivesLast() throws SQLException {
        Instant earlier = NOW.minus(2, ChronoUnit.DAYS);
        procedures.upsertProgress(learner, List.of(completion("evt-first-done-2", LESSON_1, 1, NOW)));
        procedures.upsertProgress(learner, List.of(completion("evt-first-done-1", LESSON_1, 1, earlier)));

        assertThat(Db.value(db, "SELECT completed_at = ? FROM huddle.user_lesson_progress WHERE user_id = ? AND lesson_id = ?",
                java.sql.Timestamp.from(earlier), learner, LESSON_1)).isEqualTo("t");
    }

    @Test
    void timeSpent_isTheSumOverDistinctEvents() throws SQLException {
        procedures.upsertProgress(learner, List.of(
                progress("evt-time-1", LESSON_1, 10, 30, NOW.minusSeconds(20)),
                progress("evt-time-2", LESSON_1, 20, 45, NOW.minusSeconds(10))));
        procedures.upsertProgress(learner, List.of(
                progress("evt-time-2", LESSON_1, 20, 45, NOW.minusSeconds(10)),
                progress("evt-time-3", LESSON_1, 30, 25, NOW)));

        assertThat(lesson(LESSON_1, "time_spent_seconds")).isEqualTo("100");
    }

    @Test
    void lastActivity_isTheLatestOccurredAt_evenWhenAnOlderEventArrivesLast() throws SQLException {
        procedures.upsertProgress(learner, List.of(progress("evt-last-2", LESSON_1, 10, 1, NOW)));
        procedures.upsertProgress(learner, List.of(progress("evt-last-1", LESSON_1, 10, 1, NOW.minus(1, ChronoUnit.DAYS))));

        assertThat(Db.value(db, "SELECT last_activity_at = ? FROM huddle.user_lesson_progress WHERE user_id = ? AND lesson_id = ?",
                java.sql.Timestamp.from(NOW), learner, LESSON_1)).isEqualTo("t");
    }

    @Test
    void courseProgress_isCompletedLessonsOverLessonsInTheCourse() throws SQLException {
        procedures.upsertProgress(learner, List.of(
                completion("evt-course-1", "course-101-lesson-01", 1, NOW),
                completion("evt-course-2", "course-101-lesson-02", 1, NOW),
                progress("evt-course-3", "course-101-lesson-03", 90, 1, NOW),
                completion("evt-course-4", "course-102-lesson-01", 1, NOW)));

        assertThat(Db.rows(db, "SELECT course_id, completed_lessons, total_lessons, progress_percent, completed_at"
                + " FROM huddle.user_course_progress WHERE user_id = ? ORDER BY course_id", learner)).containsExactly(
                "course_id=course-101|completed_lessons=2|total_lessons=10|progress_percent=20.00|completed_at=null",
                "course_id=course-102|completed_lessons=1|total_lessons=10|progress_percent=10.00|completed_at=null");
    }

    /** Issue 10: lesson rows outlive catalogue changes; the recompute must not count them (CHECK completed <= total). */
    @Test
    void courseProgress_countsOnlyLessonsInTheCourseNow_afterALessonIsDeletedAndAnotherMoved() throws SQLException {
        List<ProgressInput> all = new java.util.ArrayList<>();
        for (int n = 1; n <= 10; n++) {
            all.add(completion("evt-cat-" + n, "course-110-lesson-%02d".formatted(n), 1, NOW.minus(n, ChronoUnit.HOURS)));
        }
        procedures.upsertProgress(learner, all);
        Db.execute(db, "DELETE FROM huddle.lessons WHERE lesson_id = 'course-110-lesson-01'");
        Db.execute(db, "UPDATE huddle.lessons SET course_id = 'course-109', position = 11"
                + " WHERE lesson_id = 'course-110-lesson-02'");

        List<Outcome> outcomes = procedures.upsertProgress(learner, List.of(
                progress("evt-cat-after", "course-110-lesson-03", 50, 7, NOW)));

        assertThat(outcomes).containsExactly(accepted(0, "evt-cat-after"));
        // Eight lessons remain, all completed; the latest completion among them is lesson 03's (3 hours ago).
        assertThat(Db.rows(db, "SELECT completed_lessons, total_lessons, progress_percent, completed_at = ? AS at_lesson_03"
                + " FROM huddle.user_course_progress WHERE user_id = ? AND course_id = 'course-110'",
                java.sql.Timestamp.from(NOW.minus(3, ChronoUnit.HOURS)), learner)).containsExactly(
                "completed_lessons=8|total_lessons=8|progress_percent=100.00|at_lesson_03=t");
    }

    @Test
    void aCourseIsCompleted_whenEveryLessonIs_atTheLatestLessonCompletion() throws SQLException {
        List<ProgressInput> all = new java.util.ArrayList<>();
        for (int n = 1; n <= 10; n++) {
            all.add(completion("evt-all-" + n, "course-103-lesson-%02d".formatted(n), 1, NOW.minus(n, ChronoUnit.HOURS)));
        }
        procedures.upsertProgress(learner, all.subList(0, 9));
        assertThat(course("course-103", "completed_at")).isNull();

        procedures.upsertProgress(learner, all.subList(9, 10));

        assertThat(course("course-103", "progress_percent")).isEqualTo("100.00");
        assertThat(Db.value(db, "SELECT completed_at = ? FROM huddle.user_course_progress WHERE user_id = ? AND course_id = 'course-103'",
                java.sql.Timestamp.from(NOW.minus(1, ChronoUnit.HOURS)), learner)).isEqualTo("t");
    }

    @Test
    void theClientQueueDepth_isRecorded_andRewrittenOnlyWhenItChanges() throws SQLException {
        ProgressInput event = progress("evt-depth-1", LESSON_1, 10, 1, NOW);
        procedures.upsertProgress(learner, List.of(event), 7);
        String firstVersion = queueReportVersion();

        procedures.upsertProgress(learner, List.of(progress("evt-depth-2", LESSON_1, 10, 1, NOW)), 7);
        assertThat(queueReportVersion()).as("row version (xmin) after the same depth").isEqualTo(firstVersion);

        procedures.upsertProgress(learner, List.of(progress("evt-depth-3", LESSON_1, 10, 1, NOW)), 3);
        assertThat(Db.value(db, "SELECT depth FROM huddle.client_queue_reports WHERE user_id = ?", learner)).isEqualTo("3");
        assertThat(queueReportVersion()).isNotEqualTo(firstVersion);
    }

    @Test
    void aSteadyDepth_isReportedAgain_onceTheStoredReportIsOlderThanFiveMinutes() throws SQLException {
        procedures.upsertProgress(learner, List.of(progress("evt-stale-1", LESSON_1, 10, 1, NOW)), 70);
        Db.execute(db, "UPDATE huddle.client_queue_reports SET reported_at = now() - interval '6 minutes' WHERE user_id = ?",
                learner);

        procedures.upsertProgress(learner, List.of(progress("evt-stale-2", LESSON_1, 10, 1, NOW)), 70);

        assertThat(Db.value(db, "SELECT reported_at > now() - interval '1 minute' FROM huddle.client_queue_reports"
                + " WHERE user_id = ?", learner)).as("a client stuck at one depth stays visible to health").isEqualTo("t");
    }

    @Test
    void anEmptyBatch_returnsNoRows_andWritesNothing() throws SQLException {
        assertThat(procedures.upsertProgress(learner, List.of())).isEmpty();
        assertThat(eventCount()).isZero();
    }

    private String queueReportVersion() throws SQLException {
        return Db.value(db, "SELECT xmin::text FROM huddle.client_queue_reports WHERE user_id = ?", learner);
    }

    private long eventCount() throws SQLException {
        return Long.parseLong(Db.value(db, "SELECT count(*) FROM huddle.progress_events WHERE user_id = ?", learner));
    }

    private List<String> lessonRows() throws SQLException {
        return Db.rows(db, "SELECT * FROM huddle.user_lesson_progress WHERE user_id = ? ORDER BY lesson_id", learner);
    }

    private String lesson(String lessonId, String column) throws SQLException {
        return Db.value(db, "SELECT " + column + "::text FROM huddle.user_lesson_progress WHERE user_id = ? AND lesson_id = ?",
                learner, lessonId);
    }

    private String course(String courseId, String column) throws SQLException {
        return Db.value(db, "SELECT " + column + "::text FROM huddle.user_course_progress WHERE user_id = ? AND course_id = ?",
                learner, courseId);
    }

    /** learner-0001, -0004, -0007, ...: the learners of org-1. */
    private static String nextOrg1Learner() {
        return DemoData.learner(1 + 3 * NEXT_LEARNER.getAndIncrement()).userId();
    }
}
