package dev.huddle.perf.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.ingest.IngestDatabase;
import dev.huddle.sql.DemoData;
import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The per-event baseline (a) copies the procedure's lesson merge and course recompute on purpose, so that
 * the benchmark compares round trips, not rules. This proves the copy still computes what the procedure
 * computes: the same random events, through the procedure (via HuddleApi, as the batch method sends them)
 * into one database and through the baseline into another, leave the same lesson and course rows.
 */
class PerEventBaselineTest {
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private static final String LESSON_ROWS =
            "SELECT (to_jsonb(p) - 'updated_at')::text FROM huddle.user_lesson_progress p ORDER BY 1";
    private static final String COURSE_ROWS =
            "SELECT (to_jsonb(p) - 'updated_at')::text FROM huddle.user_course_progress p ORDER BY 1";

    @Test
    void theBaselineLeavesTheSameLessonAndCourseRowsAsTheProcedure() throws Exception {
        List<BenchBatch> batches = randomBatches(new Random(11), 120);
        int events = batches.stream().mapToInt(b -> b.events().size()).sum();
        DataSource viaProcedure = IngestDatabase.seededDatabase().dataSource();
        DataSource viaBaseline = IngestDatabase.seededDatabase().dataSource();

        new BatchProcedure(connections(viaProcedure), 1).prepare(batches).store(progress(events));
        new PerEventUpserts(connections(viaBaseline)).prepare(batches).store(progress(events));

        List<String> lessons = rows(viaProcedure, LESSON_ROWS);
        List<String> courses = rows(viaProcedure, COURSE_ROWS);
        assertThat(rows(viaBaseline, LESSON_ROWS)).as("user_lesson_progress").isEqualTo(lessons);
        assertThat(rows(viaBaseline, COURSE_ROWS)).as("user_course_progress").isEqualTo(courses);
        // The events must have reached every rule: merges of several events per lesson, completions,
        // whole courses completed.
        assertThat(lessons).as("lesson rows").hasSizeGreaterThan(50);
        assertThat(lessons).as("completed lessons").anyMatch(row -> row.contains("\"completed\": true"));
        assertThat(courses).as("completed courses").anyMatch(row -> row.contains("\"completed_lessons\": 10"));
    }

    /**
     * Few learners and lessons, so events of a lesson meet within a batch and across batches; times out of
     * order; completions; events re-sent (duplicates); lessons the course does not have (rejected by both).
     */
    private static List<BenchBatch> randomBatches(Random random, int count) {
        List<BenchBatch> batches = new ArrayList<>();
        List<BenchEvent> sent = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            DemoData.Learner learner = DemoData.learner(1 + random.nextInt(6));
            List<BenchEvent> events = new ArrayList<>();
            for (int i = 0, size = 1 + random.nextInt(30); i < size; i++) {
                BenchEvent again = sent.isEmpty() ? null : sent.get(random.nextInt(sent.size()));
                if (again != null && again.userId().equals(learner.userId()) && random.nextInt(10) == 0) {
                    events.add(again);
                    continue;
                }
                String course = learner.courseId(random.nextInt(2));
                // Index 10 is lesson-11, which no demo course has.
                String lesson = DemoData.lessonId(course, random.nextInt(DemoData.LESSONS_PER_COURSE + 1));
                boolean completed = random.nextInt(3) == 0;
                BenchEvent event = new BenchEvent("e-" + b + "-" + i, learner.userId(), learner.orgId(),
                        completed ? "lesson_completed" : "lesson_progress", course, lesson,
                        completed ? 100 : random.nextInt(100), random.nextInt(120),
                        NOW.minusSeconds(random.nextInt(3 * 86_400)));
                events.add(event);
                sent.add(event);
            }
            batches.add(new BenchBatch(learner.userId(), events));
        }
        return batches;
    }

    private static Supplier<Connection> connections(DataSource dataSource) {
        return () -> {
            try {
                return dataSource.getConnection();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static Progress progress(int events) {
        return new Progress("test", events, new PrintStream(OutputStream.nullOutputStream()));
    }

    private static List<String> rows(DataSource dataSource, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
