package dev.huddle.sql;

import static dev.huddle.sql.support.TestEvents.analytics;
import static dev.huddle.sql.support.TestEvents.completion;
import static dev.huddle.sql.support.TestEvents.progress;
import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.dbapi.ProgressInput;
import dev.huddle.sql.support.Db;
import dev.huddle.sql.support.Procedures;
import dev.huddle.sql.support.Rollups;
import java.sql.Connection;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * THE concurrency test: writers ingest into three orgs through the real procedures while rollup jobs
 * run in a loop with small chunks, and transactions that write early but commit late are held open
 * while jobs run. At the end the jobs run to completion and every rollup figure must equal what the
 * raw tables say: no event missed, none counted twice.
 */
class RollupConcurrencyTest {
    private static final int WRITERS = 4;
    private static final int BATCHES_PER_WRITER = 40;
    private static final int LATE_COMMITTERS = 3;
    private static final int JOBS_WHILE_HELD = 15;
    private static final List<String> ORGS = DemoData.orgIds();
    private static final Instant TODAY = LocalDate.now(ZoneOffset.UTC).atStartOfDay().toInstant(ZoneOffset.UTC);

    @Test
    void rollupsRunningDuringConcurrentIngestAndLateCommits_endExactlyEqualToTheRawTables() throws Exception {
        DataSource db = Db.seeded();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + LATE_COMMITTERS + 1);
        AtomicBoolean ingesting = new AtomicBoolean(true);
        AtomicInteger jobsRun = new AtomicInteger();
        AtomicInteger eventsRolledUpDuringIngest = new AtomicInteger();
        List<CountDownLatch> jobsWhileHeld = new ArrayList<>();
        try {
            Future<?> roller = pool.submit(() -> {
                Random random = new Random(7);
                while (ingesting.get()) {
                    String org = ORGS.get(random.nextInt(ORGS.size()));
                    eventsRolledUpDuringIngest.addAndGet(Rollups.runJob(db, org, 1 + random.nextInt(40)).processed());
                    jobsRun.incrementAndGet();
                    synchronized (jobsWhileHeld) {
                        jobsWhileHeld.forEach(CountDownLatch::countDown);
                    }
                }
                return null;
            });
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    write(db, writer);
                    return null;
                }));
            }
            List<Future<String>> lateOnes = new ArrayList<>();
            for (int l = 0; l < LATE_COMMITTERS; l++) {
                CountDownLatch held = new CountDownLatch(JOBS_WHILE_HELD);
                synchronized (jobsWhileHeld) {
                    jobsWhileHeld.add(held);
                }
                int late = l;
                lateOnes.add(pool.submit(() -> commitLate(db, late, held)));
            }
            for (Future<?> writer : writers) {
                writer.get(120, TimeUnit.SECONDS);
            }
            List<String> lateLearners = new ArrayList<>();
            for (Future<String> late : lateOnes) {
                lateLearners.add(late.get(120, TimeUnit.SECONDS));
            }
            ingesting.set(false);
            roller.get(60, TimeUnit.SECONDS);

            assertThat(eventsRolledUpDuringIngest.get()).as("jobs rolled up events while ingest ran").isPositive();
            for (String org : ORGS) {
                Rollups.runToCompletion(db, org, 500);
            }

            assertThat(Rollups.mismatches(db)).isEmpty();
            long rawEvents = Long.parseLong(Db.value(db,
                    "SELECT (SELECT count(*) FROM huddle.progress_events) + (SELECT count(*) FROM huddle.analytics_events)"));
            assertThat(Rollups.eventsTotal(db)).isEqualTo(rawEvents).isGreaterThan(WRITERS * BATCHES_PER_WRITER * 5L);
            for (String learner : lateLearners) {
                assertThat(Db.value(db, "SELECT count(*) FROM huddle.org_daily_learners WHERE user_id = ?", learner))
                        .as("the late committer %s is rolled up", learner).isEqualTo("1");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Batches of progress (with completions, so courses complete) and analytics for learners of all orgs. */
    private static void write(DataSource db, int writer) throws Exception {
        Random random = new Random(writer);
        Procedures procedures = new Procedures(db);
        for (int batch = 0; batch < BATCHES_PER_WRITER; batch++) {
            // Learners 1..60: n mod 3 picks the org, so every org gets traffic from every writer.
            DemoData.Learner demoLearner = DemoData.learner(1 + random.nextInt(60));
            String learner = demoLearner.userId();
            String course = demoLearner.courseId(random.nextInt(2));
            Instant day = TODAY.minus(random.nextInt(3), ChronoUnit.DAYS).plusSeconds(random.nextInt(40_000));
            List<ProgressInput> events = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String lesson = DemoData.lessonId(course, random.nextInt(DemoData.LESSONS_PER_COURSE));
                String id = "w%d-b%d-e%d".formatted(writer, batch, i);
                events.add(random.nextBoolean()
                        ? completion(id, lesson, random.nextInt(120), day.plusSeconds(i))
                        : progress(id, lesson, random.nextInt(100), random.nextInt(120), day.plusSeconds(i)));
            }
            procedures.upsertProgress(learner, events);
            procedures.ingestAnalytics(learner, List.of(analytics("w%d-b%d-a".formatted(writer, batch),
                    random.nextBoolean() ? "app_opened" : "video_played", null, null, day)));
        }
    }

    /**
     * Writes for its own learner in an open transaction, waits until rollup jobs have run past it
     * (while the writers commit rows with higher sequence numbers), then commits.
     */
    private static String commitLate(DataSource db, int late, CountDownLatch jobsWhileHeld) throws Exception {
        DemoData.Learner demoLearner = DemoData.learner(4001 + late);
        String learner = demoLearner.userId();
        try (Connection connection = db.getConnection()) {
            connection.setAutoCommit(false);
            Procedures.upsertProgress(connection, learner, List.of(
                    completion("late-" + late, DemoData.lessonId(demoLearner.courseId(0), 0), 11,
                            TODAY.plusSeconds(late))), null);
            assertThat(jobsWhileHeld.await(60, TimeUnit.SECONDS)).as("rollup jobs ran while held").isTrue();
            connection.commit();
        }
        return learner;
    }
}
