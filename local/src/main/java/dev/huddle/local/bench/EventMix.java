package dev.huddle.local.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Collections;
import java.util.Random;

/**
 * Generates the benchmark's events against the demo data: learners drawn from learner-0001..5000, each
 * batch one learner's events on random lessons of the courses of that learner's org, 10 % completions.
 *
 * <p>A batch models one client flush: its events happened within {@code batchSpan} of each other, at a
 * moment drawn uniformly from the last 20 days, so batches land in every daily partition of the window
 * (an offline queue flushed days later included). A fixed seed gives every method the same
 * learner/course/lesson/time mix; only the event ids differ (a run prefix), so no method sees another's
 * events as duplicates.
 */
final class EventMix {
    static final int LEARNERS = 5000;
    private static final int COURSES_PER_ORG = 10;
    private static final int LESSONS_PER_COURSE = 10;
    private static final Duration SPREAD = Duration.ofDays(20);

    private final long seed;
    private final Instant now;
    private final Duration batchSpan;

    EventMix(long seed, Instant now, Duration batchSpan) {
        this.seed = seed;
        this.now = now;
        this.batchSpan = batchSpan;
    }

    /**
     * {@code totalEvents} events in batches of {@code batchSize}, each batch for one learner; learners
     * are distinct within the first {@link #LEARNERS} batches, so two clients taking alternate batches
     * never write for the same learner at the same time.
     */
    List<BenchBatch> batches(String runPrefix, int totalEvents, int batchSize) {
        Random random = new Random(seed);
        List<Integer> learners = shuffledLearners(random);
        List<BenchBatch> batches = new ArrayList<>();
        int made = 0;
        for (int b = 0; made < totalEvents; b++) {
            int learner = learners.get(b % LEARNERS);
            int size = Math.min(batchSize, totalEvents - made);
            batches.add(batch(runPrefix + "-" + b, learner, size, random));
            made += size;
        }
        return batches;
    }

    private BenchBatch batch(String batchPrefix, int learner, int size, Random random) {
        String userId = "learner-%04d".formatted(learner);
        int org = (learner - 1) % 3 + 1;
        // Every event lies in the last 20 days: flushedAt - batchSpan >= now - SPREAD.
        Instant flushedAt = now.minusMillis((long) (random.nextDouble() * SPREAD.minus(batchSpan).toMillis()));
        List<BenchEvent> events = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            String courseId = "course-" + (org * 100 + 1 + random.nextInt(COURSES_PER_ORG));
            String lessonId = courseId + "-lesson-%02d".formatted(1 + random.nextInt(LESSONS_PER_COURSE));
            boolean completed = random.nextInt(10) == 0;
            events.add(new BenchEvent(
                    batchPrefix + "-" + i,
                    userId,
                    "org-" + org,
                    completed ? "lesson_completed" : "lesson_progress",
                    courseId,
                    lessonId,
                    completed ? 100 : random.nextInt(100),
                    random.nextInt(600),
                    flushedAt.minusMillis((long) (random.nextDouble() * batchSpan.toMillis()))));
        }
        return new BenchBatch(userId, events);
    }

    private static List<Integer> shuffledLearners(Random random) {
        List<Integer> learners = new ArrayList<>(LEARNERS);
        for (int n = 1; n <= LEARNERS; n++) {
            learners.add(n);
        }
        Collections.shuffle(learners, random);
        return learners;
    }
}
