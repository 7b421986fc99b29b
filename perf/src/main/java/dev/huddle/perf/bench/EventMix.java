package dev.huddle.perf.bench;

import dev.huddle.sql.DemoData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Generates the benchmark's events against the demo data.
 *
 * <p>A batch models one client flush: one learner (drawn from learner-0001..5000) working through
 * {@code lessonsPerBatch} consecutive lessons of their org's courses (continuing into the next course
 * after lesson 10), the events of each lesson being progress ticks with rising percentages, ending in a
 * completion for half of the lessons. The events happened, in order, within {@code batchSpan} before a
 * moment drawn uniformly from the last 20 days, so batches land in every daily partition of the window
 * (an offline queue flushed days later included).
 *
 * <p>A fixed seed gives every method the same learner/course/lesson/time mix; only the event ids differ
 * (a run prefix), so no method sees another's events as duplicates.
 */
final class EventMix {
    private static final Duration SPREAD = Duration.ofDays(20);

    private final long seed;
    private final Instant now;
    private final Duration batchSpan;
    private final int lessonsPerBatch;

    EventMix(long seed, Instant now, Duration batchSpan, int lessonsPerBatch) {
        this.seed = seed;
        this.now = now;
        this.batchSpan = batchSpan;
        this.lessonsPerBatch = lessonsPerBatch;
    }

    /**
     * {@code totalEvents} events in batches of {@code batchSize}, each batch for one learner; learners
     * are distinct within the first {@link DemoData#LEARNERS} batches, so two clients taking alternate batches
     * never write for the same learner at the same time.
     */
    List<BenchBatch> batches(String runPrefix, int totalEvents, int batchSize) {
        Random random = new Random(seed);
        List<Integer> learners = shuffledLearners(random);
        List<BenchBatch> batches = new ArrayList<>();
        int made = 0;
        for (int b = 0; made < totalEvents; b++) {
            int learner = learners.get(b % DemoData.LEARNERS);
            int size = Math.min(batchSize, totalEvents - made);
            batches.add(batch(runPrefix + "-" + b, learner, size, random));
            made += size;
        }
        return batches;
    }

    private BenchBatch batch(String batchPrefix, int learner, int size, Random random) {
        DemoData.Learner demoLearner = DemoData.learner(learner);
        String userId = demoLearner.userId();
        // Position of the first lesson among the org's 100 lessons (course-major).
        int firstLesson = random.nextInt(DemoData.COURSES_PER_ORG * DemoData.LESSONS_PER_COURSE);
        int lessons = Math.min(lessonsPerBatch, size);
        // Every event lies in the last 20 days: startedAt >= now - SPREAD.
        Instant flushedAt = now.minusMillis((long) (random.nextDouble() * SPREAD.minus(batchSpan).toMillis()));
        Instant startedAt = flushedAt.minus(batchSpan);
        long step = batchSpan.toMillis() / size;
        List<BenchEvent> events = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            int lessonInBatch = i * lessons / size;
            boolean lastOfLesson = (i + 1) * lessons / size != lessonInBatch || i == size - 1;
            int position = (firstLesson + lessonInBatch) % (DemoData.COURSES_PER_ORG * DemoData.LESSONS_PER_COURSE);
            String courseId = demoLearner.courseId(position / DemoData.LESSONS_PER_COURSE);
            String lessonId = DemoData.lessonId(courseId, position % DemoData.LESSONS_PER_COURSE);
            boolean completed = lastOfLesson && random.nextBoolean();
            int firstOfLesson = (lessonInBatch * size + lessons - 1) / lessons;
            int lastIndex = ((lessonInBatch + 1) * size + lessons - 1) / lessons - 1;
            int percent = completed ? 100 : 100 * (i - firstOfLesson + 1) / (lastIndex - firstOfLesson + 2);
            events.add(new BenchEvent(
                    batchPrefix + "-" + i,
                    userId,
                    demoLearner.orgId(),
                    completed ? "lesson_completed" : "lesson_progress",
                    courseId,
                    lessonId,
                    percent,
                    5 + random.nextInt(56),
                    startedAt.plusMillis(i * step)));
        }
        return new BenchBatch(userId, events);
    }

    private static List<Integer> shuffledLearners(Random random) {
        List<Integer> learners = new ArrayList<>(DemoData.LEARNERS);
        for (int n = 1; n <= DemoData.LEARNERS; n++) {
            learners.add(n);
        }
        Collections.shuffle(learners, random);
        return learners;
    }
}
