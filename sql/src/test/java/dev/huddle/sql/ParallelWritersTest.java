package dev.huddle.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.dbapi.ProgressInput;
import dev.huddle.sql.support.Db;
import dev.huddle.sql.support.Outcome;
import dev.huddle.sql.support.Procedures;
import dev.huddle.sql.support.TestEvents;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Eight writers send batches for the same learner and the same ten courses at the same moment. Each
 * works on its own lesson in every course (so no lesson row lock serialises them: only the course
 * recompute is contended), listing the courses in its own random order (so unordered locking would
 * deadlock). Afterwards course progress must agree with the lesson rows, and no writer may have failed
 * (in particular no deadlock, SQLState 40P01).
 */
class ParallelWritersTest {
    private static final int WRITERS = 8;
    private static final int ROUNDS = 6;

    @Test
    void concurrentBatchesForTheSameLearnerAndCourses_leaveCourseProgressConsistent_withoutDeadlocks()
            throws Exception {
        DataSource db = Db.seeded();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                runRound(db, pool, DemoData.learner(3001 + 3 * round).userId(), round);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(courseRowsDisagreeingWithLessonRows(db)).isEmpty();
        assertThat(Db.rows(db, "SELECT DISTINCT completed_lessons FROM huddle.user_course_progress"
                + " WHERE user_id LIKE 'learner-3%'")).containsExactly("completed_lessons=" + WRITERS);
        assertThat(Db.value(db, "SELECT count(*) FROM huddle.user_course_progress WHERE user_id LIKE 'learner-3%'"))
                .isEqualTo(String.valueOf(ROUNDS * 10));
    }

    private static void runRound(DataSource db, ExecutorService pool, String learner, int round) throws Exception {
        CyclicBarrier start = new CyclicBarrier(WRITERS);
        List<Future<List<Outcome>>> writers = new ArrayList<>();
        for (int writer = 0; writer < WRITERS; writer++) {
            List<ProgressInput> batch = batchOf(writer, round);
            writers.add(pool.submit(() -> {
                try (Connection connection = db.getConnection()) {
                    start.await(30, TimeUnit.SECONDS);
                    return Procedures.upsertProgress(connection, learner, batch, null);
                }
            }));
        }
        for (Future<List<Outcome>> writer : writers) {
            // A failed writer (e.g. SQLState 40P01, deadlock detected) fails the test here.
            assertThat(writer.get(60, TimeUnit.SECONDS)).allMatch(o -> o.status().equals("accepted"));
        }
    }

    /** Writer w advances and completes lesson w+1 of every org-1 course. */
    private static List<ProgressInput> batchOf(int writer, int round) {
        Random random = new Random(31L * round + writer);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        DemoData.Learner org1Learner = DemoData.learner(1);
        List<String> courses = new ArrayList<>();
        for (int c = 0; c < DemoData.COURSES_PER_ORG; c++) {
            courses.add(org1Learner.courseId(c));
        }
        Collections.shuffle(courses, random);
        List<ProgressInput> batch = new ArrayList<>();
        for (String course : courses) {
            String prefix = "par-r" + round + "-w" + writer + "-" + course;
            String lesson = DemoData.lessonId(course, writer);
            batch.add(TestEvents.progress(prefix + "-half", lesson, 50, 10, now.minusSeconds(random.nextInt(3600))));
            batch.add(TestEvents.completion(prefix + "-done", lesson, 30, now.minusSeconds(random.nextInt(3600))));
        }
        return batch;
    }

    /** Recomputes course progress from the lesson rows; returns every (learner, course) that differs. */
    private static List<String> courseRowsDisagreeingWithLessonRows(DataSource db) throws SQLException {
        return Db.rows(db, """
                WITH from_lessons AS (
                    SELECT ulp.user_id, ulp.course_id,
                           count(*) FILTER (WHERE ulp.completed) AS completed_lessons,
                           max(ulp.last_activity_at)             AS last_activity_at,
                           (SELECT count(*) FROM huddle.lessons l WHERE l.course_id = ulp.course_id) AS total_lessons
                      FROM huddle.user_lesson_progress ulp
                     GROUP BY ulp.user_id, ulp.course_id
                )
                SELECT coalesce(f.user_id, c.user_id) AS user_id, coalesce(f.course_id, c.course_id) AS course_id,
                       f.completed_lessons AS expected_completed, c.completed_lessons AS stored_completed,
                       f.last_activity_at AS expected_last_activity, c.last_activity_at AS stored_last_activity
                  FROM from_lessons f
                  FULL JOIN huddle.user_course_progress c ON c.user_id = f.user_id AND c.course_id = f.course_id
                 WHERE f.completed_lessons IS DISTINCT FROM c.completed_lessons
                    OR f.total_lessons IS DISTINCT FROM c.total_lessons
                    OR f.last_activity_at IS DISTINCT FROM c.last_activity_at
                """);
    }
}
