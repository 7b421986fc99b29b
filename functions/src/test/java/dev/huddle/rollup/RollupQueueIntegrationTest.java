package dev.huddle.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.devservers.SqsEventSourceMapping;
import dev.huddle.devservers.SqsEventSourceSettings;
import dev.huddle.ingest.PostgresEventStore;
import dev.huddle.ingest.ProgressEvent;
import dev.huddle.ingest.StoreResult;
import dev.huddle.replay.DeadLetterReplayer;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The rollup pipeline on ElasticMQ (FIFO queue + DLQ with a redrive policy) and real PostgreSQL:
 * fan-out, deduplication, partial failures, a lost send healed by the sweep, and the poison path.
 */
class RollupQueueIntegrationTest {
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private final SqsClient sqs = TestSqs.client();
    private final TestSqs.Queues queues = TestSqs.createJobQueues(sqs);
    private final List<String> logLines = new ArrayList<>();

    private RollupJobQueue queue(Clock clock) {
        return new RollupJobQueue(sqs, queues.mainUrl(), clock, logLines::add);
    }

    /** The worker as deployed, except that a failed job comes back after 1 s instead of 5, 10, 20... */
    private RollupWorkerHandler handler(RollupWorker worker) {
        return new RollupWorkerHandler(new RollupJobBatch(worker, queue(Clock.systemUTC())::enqueueContinuation,
                new FailedJobRetry(sqs, queues.mainUrl(), Duration.ofSeconds(1), Duration.ofSeconds(1), logLines::add,
                        Clock.systemUTC()),
                logLines::add, Clock.systemUTC()));
    }

    /**
     * Lambda's SQS event source mapping in front of the worker, run receive by receive on this thread. The
     * queue's production visibility timeout (900 s) holds: a failed job that the handler did not bring back
     * soon ({@link FailedJobRetry}) outlasts the mapping's patience and fails the test.
     */
    private SqsEventSourceMapping eventSource(RollupWorkerHandler handler) {
        return SqsEventSourceMapping.onCallingThread(sqs, new SqsEventSourceSettings("huddle-rollup-worker",
                queues.mainUrl(), SqsEventSourceSettings.MAX_BATCH_SIZE,
                Duration.ofSeconds(TestSqs.VISIBILITY_TIMEOUT_SECONDS), Duration.ofSeconds(1), 1), handler);
    }

    private static List<ProgressEvent> progress(String prefix, String courseId, int count) {
        List<ProgressEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(new ProgressEvent(prefix + "-" + i, ProgressEvent.Type.LESSON_PROGRESS, courseId,
                    "%s-lesson-%02d".formatted(courseId, 1 + i % 10), BigDecimal.valueOf(10), 30, NOW.minusSeconds(i)));
        }
        return events;
    }

    @Test
    void aBurstOfRequestsFromTwoContainers_sendsOneJobPerOrgAndBucket_fromWhicheverRequestClaimedIt() throws Exception {
        RollupDatabase db = new RollupDatabase();
        AtomicLong bucket = new AtomicLong(RollupJobQueue.fanOutBuckets(Clock.systemUTC()).getAsLong());
        List<Map<String, Long>> sends = new ArrayList<>();
        RollupJobs sending = claims -> {
            sends.add(claims);
            queue(Clock.systemUTC()).requestRollups(claims);
        };
        PostgresEventStore containerA = db.store(bucket::get);
        PostgresEventStore containerB = db.store(bucket::get);

        for (int i = 0; i < 10; i++) {
            // learner-0001 is in org-1, learner-0002 in org-2 (RollupDatabase's seed)
            sending.requestRollups(containerA.storeProgress("learner-0001", progress("a1-" + i, "course-101", 2),
                    OptionalInt.empty()).rollupBucketsClaimed());
            sending.requestRollups(containerA.storeProgress("learner-0002", progress("a2-" + i, "course-201", 2),
                    OptionalInt.empty()).rollupBucketsClaimed());
            sending.requestRollups(containerB.storeProgress("learner-0001", progress("b1-" + i, "course-101", 2),
                    OptionalInt.empty()).rollupBucketsClaimed());
        }

        assertThat(sends.stream().filter(claims -> !claims.isEmpty()))
                .as("30 requests with accepted events, one send per org: the first request of each")
                .containsExactly(Map.of("org-1", bucket.get()), Map.of("org-2", bucket.get()));
        List<Message> jobs = TestSqs.drain(sqs, queues.mainUrl());
        assertThat(jobs).extracting(Message::body).containsExactlyInAnyOrder("{\"orgId\":\"org-1\"}", "{\"orgId\":\"org-2\"}");
        assertThat(jobs).extracting(m -> m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID))
                .containsExactlyInAnyOrder("org-1", "org-2");

        bucket.incrementAndGet();
        Map<String, Long> nextBucket = containerB.storeProgress("learner-0001", progress("next", "course-101", 1),
                OptionalInt.empty()).rollupBucketsClaimed();
        assertThat(nextBucket).as("the next bucket is claimed again").isEqualTo(Map.of("org-1", bucket.get()));
    }

    @Test
    void theSameBucketNumberOfTwoQueues_isOneMessage() {
        queue(Clock.systemUTC()).requestRollups(Map.of("org-3", 9L));
        queue(Clock.systemUTC()).requestRollups(Map.of("org-3", 9L));
        queue(Clock.systemUTC()).requestRollups(Map.of("org-3", 10L));

        assertThat(TestSqs.drain(sqs, queues.mainUrl())).as("deduplicated by org and bucket").hasSize(2);
    }

    @Test
    void claimsOfMoreOrgsThanABatchHolds_areSentInBatchesOfTen() {
        Map<String, Long> claims = new java.util.HashMap<>();
        for (int i = 0; i < 23; i++) {
            claims.put("org-many-" + i, 1L);
        }

        queue(Clock.systemUTC()).requestRollups(claims);

        assertThat(TestSqs.drain(sqs, queues.mainUrl())).hasSize(23);
    }

    @Test
    void aBacklogOfThreeJobs_isRolledUpByOneMessage_withoutAContinuation() throws Exception {
        RollupDatabase db = new RollupDatabase();
        // One bucket for the three requests however long they take on a busy machine: one message.
        PostgresEventStore store = db.store(() -> 1L);
        RollupJobQueue fanOut = queue(Clock.systemUTC());
        for (int batch = 0; batch < 3; batch++) {
            StoreResult stored = store.storeProgress("learner-0001", progress("q-" + batch, "course-101", 15), OptionalInt.empty());
            fanOut.requestRollups(stored.rollupBucketsClaimed());
        }
        // Jobs of 15 events: the 45 events are three jobs, drained within the one message the burst sent.
        RollupWorkerHandler handler = handler(db.worker(15));

        int rounds = eventSource(handler).pollUntilEmpty(5, TestSqs.WAIT);

        assertThat(rounds).as("one receive, no continuation round").isEqualTo(1);
        assertThat(db.rolledUpEvents("org-1")).isEqualTo(45);
        assertThat(db.mismatches()).isEmpty();
    }

    @Test
    void eventsCommittedAfterTheJobWasSent_butBeforeItBecameVisible_areRolledUpByThatJob() throws Exception {
        RollupDatabase db = new RollupDatabase();
        // One bucket for the whole burst: the first request claims it and sends, the later one finds it claimed.
        PostgresEventStore store = db.store(() -> 1L);
        RollupJobQueue fanOut = queue(Clock.systemUTC());
        fanOut.requestRollups(store.storeProgress("learner-0001", progress("head", "course-101", 5),
                OptionalInt.empty()).rollupBucketsClaimed());
        Map<String, Long> tail = store.storeProgress("learner-0004", progress("tail", "course-102", 8),
                OptionalInt.empty()).rollupBucketsClaimed();
        assertThat(tail).as("the tail claimed nothing, so it sends nothing").isEmpty();
        // Delayed, or already visible when the machine took longer than the queue delay: either way one job.
        assertThat(TestSqs.messagesHeld(sqs, queues.mainUrl())).as("one job for the burst").isEqualTo(1);

        PostgresRollupWorker worker = db.worker(5000);
        eventSource(handler(worker)).pollUntilEmpty(3, TestSqs.WAIT);

        assertThat(db.rolledUpEvents("org-1")).isEqualTo(13);
        assertThat(db.sweep().orgsWithPendingEvents()).as("nothing left for the sweep").isEmpty();
        assertThat(db.mismatches()).isEmpty();
    }

    @Test
    void theColdStartWarmUp_reachesTheQueue_andQueuesNothing() {
        // SQS refuses an empty batch (EmptyBatchRequest); ElasticMQ answers it with no entries. Both are an answer.
        assertThat(queue(Clock.systemUTC()).warmUp()).isEmpty();
        assertThat(TestSqs.messagesHeld(sqs, queues.mainUrl())).isZero();

        RollupJobQueue missing = new RollupJobQueue(sqs, queues.mainUrl().replace("rollup-jobs", "missing-queue"),
                Clock.systemUTC(), logLines::add);
        assertThat(missing.warmUp()).as("a queue that is not there is a failure, not a refused empty batch")
                .hasValueSatisfying(failure -> assertThat(failure).contains("QueueDoesNotExist"));
    }

    @Test
    void aSendThatFailsAfterTheCommit_isCountedNotThrown_andTheSweepStillRollsTheOrgUp() throws Exception {
        RollupDatabase db = new RollupDatabase();
        RollupJobQueue broken = new RollupJobQueue(sqs, queues.mainUrl().replace("rollup-jobs", "missing-queue"),
                Clock.systemUTC(), logLines::add);
        StoreResult stored = db.store().storeProgress("learner-0002", progress("lost", "course-201", 7), OptionalInt.empty());

        broken.requestRollups(stored.rollupBucketsClaimed());

        assertThat(broken.sendFailures()).isEqualTo(1);
        assertThat(logLines).anySatisfy(line -> assertThat(line).contains("rollupSendFailures"));
        assertThat(TestSqs.messagesHeld(sqs, queues.mainUrl())).as("nothing sent, not even delayed").isZero();

        PostgresRollupWorker worker = db.worker(5000);
        assertThat(new RollupScheduler(db.sweep(), queue(Clock.systemUTC())).sweep()).containsExactly("org-2");
        eventSource(handler(worker)).pollUntilEmpty(5, TestSqs.WAIT);

        assertThat(db.rolledUpEvents("org-2")).isEqualTo(7);
        assertThat(db.mismatches()).isEmpty();
        assertThat(new RollupScheduler(db.sweep(), queue(Clock.systemUTC())).sweep()).as("nothing left to sweep").isEmpty();
    }

    @Test
    void aJobThatFailsOnce_comesBackWithinSeconds_notAfterTheQueuesVisibilityTimeout() throws Exception {
        RollupDatabase db = new RollupDatabase();
        PostgresRollupWorker realWorker = db.worker(5000);
        List<Instant> attempts = new ArrayList<>();
        RollupWorker failsOnce = orgId -> {
            attempts.add(Instant.now());
            if (attempts.size() == 1) {
                throw new IllegalStateException("injected transient fault");
            }
            return realWorker.runJob(orgId);
        };
        // The production delays (5 s for the first retry) on a queue with the production visibility (900 s).
        RollupWorkerHandler handler = new RollupWorkerHandler(new RollupJobBatch(failsOnce,
                queue(Clock.systemUTC())::enqueueContinuation,
                new FailedJobRetry(sqs, queues.mainUrl(), logLines::add, Clock.systemUTC()), logLines::add,
                Clock.systemUTC()));
        StoreResult stored = db.store().storeProgress("learner-0003", progress("retry", "course-301", 4), OptionalInt.empty());
        queue(Clock.systemUTC()).requestRollups(stored.rollupBucketsClaimed());

        int rounds = eventSource(handler).pollUntilEmpty(5, TestSqs.WAIT);

        assertThat(rounds).isEqualTo(2);
        Duration untilRetry = Duration.between(attempts.get(0), attempts.get(1));
        assertThat(untilRetry).as("back after the first retry delay, long before the 900 s visibility timeout")
                .isGreaterThanOrEqualTo(FailedJobRetry.FIRST_DELAY.minusSeconds(1))
                .isLessThan(Duration.ofSeconds(TestSqs.VISIBILITY_TIMEOUT_SECONDS / 10));
        assertThat(db.rolledUpEvents("org-3")).isEqualTo(4);
        assertThat(TestSqs.approximateCount(sqs, queues.deadLetterUrl())).isZero();
    }

    @Test
    void retryDelaysGrowWithEachReceiveUpToAMinute() {
        FailedJobRetry retry = new FailedJobRetry(sqs, queues.mainUrl(), logLines::add, Clock.systemUTC());
        assertThat(List.of(1, 2, 3, 4, 5, 6, 1000).stream().map(n -> retry.delayAfter(n).toSeconds()).toList())
                .containsExactly(5L, 10L, 20L, 40L, 60L, 60L, 60L);
    }

    @Test
    void aRetryThatCannotBeScheduled_isCountedNotThrown() {
        FailedJobRetry toMissingQueue = new FailedJobRetry(sqs, queues.mainUrl().replace("rollup-jobs", "missing-queue"),
                logLines::add, Clock.systemUTC());
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId("m-1");
        message.setReceiptHandle("not-a-receipt-handle");

        toMissingQueue.retrySoon(List.of(message));

        assertThat(logLines).anySatisfy(line -> assertThat(line).contains("\"rollupRetryScheduleFailures\":1"));
    }

    @Test
    void aPoisonJob_landsInTheDlqAfterMaxReceives_andAfterTheFixAReplayRollsItUpExactlyOnce() throws Exception {
        RollupDatabase db = new RollupDatabase();
        AtomicBoolean org3Broken = new AtomicBoolean(true);
        PostgresRollupWorker realWorker = db.worker(5000);
        RollupWorker worker = orgId -> {
            if (org3Broken.get() && orgId.equals("org-3")) {
                throw new IllegalStateException("injected fault for org-3");
            }
            return realWorker.runJob(orgId);
        };
        RollupWorkerHandler handler = handler(worker);
        SqsEventSourceMapping poller = eventSource(handler);
        StoreResult stored = db.store().storeProgress("learner-0003", progress("poison", "course-301", 9), OptionalInt.empty());
        queue(Clock.systemUTC()).requestRollups(stored.rollupBucketsClaimed());

        // Fails on every receive until the redrive policy moves it to the DLQ.
        int rounds = poller.pollUntilEmpty(TestSqs.MAX_RECEIVE_COUNT + 3, TestSqs.WAIT);

        assertThat(rounds).isEqualTo(TestSqs.MAX_RECEIVE_COUNT);
        assertThat(TestSqs.messagesHeld(sqs, queues.deadLetterUrl())).isEqualTo(1);
        assertThat(db.rolledUpEvents("org-3")).isZero();

        org3Broken.set(false);
        DeadLetterReplayer replayer = new DeadLetterReplayer(sqs, queues.deadLetterUrl(), queues.mainUrl());
        DeadLetterReplayer.Report dryRun = replayer.replay(true, 100);
        assertThat(dryRun.messages()).extracting(DeadLetterReplayer.DeadLetter::groupId).containsExactly("org-3");
        assertThat(TestSqs.messagesHeld(sqs, queues.mainUrl())).as("a dry run moves nothing").isZero();

        DeadLetterReplayer.Report replayed = replayer.replay(false, 100);
        assertThat(replayed.messages()).extracting(DeadLetterReplayer.DeadLetter::body).containsExactly("{\"orgId\":\"org-3\"}");
        poller.pollUntilEmpty(5, TestSqs.WAIT);

        assertThat(db.rolledUpEvents("org-3")).isEqualTo(9).isEqualTo(db.rawEvents("org-3"));
        assertThat(replayer.replay(false, 100).messages()).as("the DLQ is empty").isEmpty();
        assertThat(db.mismatches()).isEmpty();
    }
}
