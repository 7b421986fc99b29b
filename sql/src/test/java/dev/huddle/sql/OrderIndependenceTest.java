package dev.huddle.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.dbapi.ProgressInput;
import dev.huddle.sql.support.Db;
import dev.huddle.sql.support.Outcome;
import dev.huddle.sql.support.Procedures;
import dev.huddle.sql.support.TestEvents;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Property: however one set of progress events is permuted, duplicated and split into batches, the
 * database ends in the same state (progress rows and stored events, minus seq, received_at and
 * updated_at). Each trial writes for its own learner of org-1, whose assignments equal the reference
 * learner's, so the per-learner dumps must be identical.
 *
 * <p>The seed changes per run and is printed on failure; rerun one with {@code -Dhuddle.property.seed=N}.
 */
class OrderIndependenceTest {
    private static final int TRIALS = 20;
    private static final int DISTINCT_EVENTS = 30;
    private static final List<String> LESSONS = List.of(
            "course-101-lesson-01", "course-101-lesson-02", "course-101-lesson-03",
            "course-102-lesson-01", "course-102-lesson-02", "course-105-lesson-10");

    @Test
    void permutedDuplicatedAndRebatchedEvents_leaveTheSameState() throws SQLException {
        long seed = Long.getLong("huddle.property.seed", System.nanoTime());
        Random random = new Random(seed);
        DataSource db = Db.seeded();
        Procedures procedures = new Procedures(db);
        List<ProgressInput> events = eventSet(random);

        String reference = "learner-0001";
        procedures.upsertProgress(reference, events);
        Dump expected = Dump.of(db, reference);
        assertThat(expected.events()).as("seed %d: reference events stored", seed).hasSize(DISTINCT_EVENTS);

        for (int trial = 1; trial <= TRIALS; trial++) {
            String learner = DemoData.learner(1 + 3 * trial).userId();
            List<List<ProgressInput>> batches = batches(shuffledWithCopies(events, random), random);
            int accepted = 0;
            for (List<ProgressInput> batch : batches) {
                for (Outcome outcome : procedures.upsertProgress(learner, batch)) {
                    accepted += outcome.status().equals("accepted") ? 1 : 0;
                }
            }

            assertThat(accepted).as("seed %d, trial %d: accepted once each", seed, trial).isEqualTo(DISTINCT_EVENTS);
            assertThat(Dump.of(db, learner)).as("seed %d, trial %d: %d batches", seed, trial, batches.size())
                    .isEqualTo(expected);
        }
    }

    /** Distinct events (ids and occurredAt) on a few lessons of three courses, spread over 29 days. */
    private static List<ProgressInput> eventSet(Random random) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<ProgressInput> events = new ArrayList<>();
        for (int i = 0; i < DISTINCT_EVENTS; i++) {
            String lesson = LESSONS.get(random.nextInt(LESSONS.size()));
            Instant at = now.minusMillis((long) (random.nextDouble() * ChronoUnit.DAYS.getDuration().toMillis() * 29));
            int seconds = random.nextInt(600);
            events.add(random.nextInt(4) == 0
                    ? TestEvents.completion("prop-" + i, lesson, seconds, at)
                    : TestEvents.progress("prop-" + i, lesson, random.nextInt(10_000) / 100.0, seconds, at));
        }
        return events;
    }

    /** Each event once, plus up to two extra copies of some, in random order. */
    private static List<ProgressInput> shuffledWithCopies(List<ProgressInput> events, Random random) {
        List<ProgressInput> all = new ArrayList<>(events);
        for (ProgressInput event : events) {
            for (int copies = random.nextInt(3); copies > 0; copies--) {
                all.add(event);
            }
        }
        Collections.shuffle(all, random);
        return all;
    }

    private static List<List<ProgressInput>> batches(List<ProgressInput> events, Random random) {
        List<List<ProgressInput>> batches = new ArrayList<>();
        for (int from = 0; from < events.size(); ) {
            int size = 1 + random.nextInt(15);
            batches.add(events.subList(from, Math.min(events.size(), from + size)));
            from += size;
        }
        return batches;
    }

    /** One learner's rows, without the user id and the columns that record when rather than what. */
    private record Dump(List<String> lessons, List<String> courses, List<String> events) {
        static Dump of(DataSource db, String learner) throws SQLException {
            return new Dump(
                    Db.rows(db, "SELECT lesson_id, course_id, org_id, progress_percent, completed, completed_at,"
                            + " time_spent_seconds, last_activity_at FROM huddle.user_lesson_progress"
                            + " WHERE user_id = ? ORDER BY lesson_id", learner),
                    Db.rows(db, "SELECT course_id, org_id, completed_lessons, total_lessons, progress_percent,"
                            + " completed_at, last_activity_at FROM huddle.user_course_progress"
                            + " WHERE user_id = ? ORDER BY course_id", learner),
                    Db.rows(db, "SELECT tableoid::regclass AS partition, event_id, org_id, course_id, lesson_id, type,"
                            + " progress_percent, time_spent_seconds, occurred_at FROM huddle.progress_events"
                            + " WHERE user_id = ? ORDER BY event_id, occurred_at", learner));
        }
    }
}
