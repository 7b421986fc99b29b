package dev.huddle.rollup;

import dev.huddle.common.AwsClients;
import dev.huddle.common.AwsConfig;
import dev.huddle.common.FailureText;
import dev.huddle.common.Identifier;
import dev.huddle.common.observability.EmfDocument;
import dev.huddle.common.observability.LogSink;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.EmptyBatchRequestException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Sends rollup jobs to the FIFO queue. The message group is the org, so SQS never hands two jobs of
 * one org to two workers at once; the deduplication id is the org plus a time bucket, so a retried send
 * of the same bucket's job becomes one message (SQS drops the copies for 5 minutes).
 *
 * <p>On the ingest path ({@link #requestRollups}) only the request that claimed an org's bucket in the
 * database sends its job (sql/src/main/resources/db/migration/R__api_06_rollup_fanout.sql): one send per org
 * and bucket across every container, where each container used to send its own, and most requests send
 * nothing. The later requests of that bucket still get their events rolled up by that job: the queue delays
 * every message by {@link #QUEUE_DELAY_SECONDS}, so the job runs only after its bucket has ended. A failed
 * send is logged and counted, never thrown: the events are committed, and the next bucket's job or the
 * scheduled sweep (a minute at most) rolls them up.
 *
 * <p>Only orgs whose id is a contract Identifier can be queued ({@link RollupJobMessage}); any other is
 * logged and counted ({@code rollupInvalidOrgIds}) and left out, never allowed to stop the jobs of the
 * other orgs. Group and deduplication ids go through {@link FifoIds}.
 */
public final class RollupJobQueue implements RollupJobs {
    /** The time bucket of the fan-out (claimed per org in the database) and of the sweep's deduplication ids. */
    public static final Duration BUCKET = Duration.ofSeconds(5);
    /**
     * The job queue's queue-level DelaySeconds (FIFO queues cannot delay single messages, but a queue may
     * delay all of them), one second more than a bucket. A job sent in bucket B becomes visible only after
     * B has ended. Fan-out runs after the request's commit, so by then every request of B that found the
     * org's bucket already claimed has committed (the claim ends its statement), and its events are
     * below the snapshot horizon the job reads up to: the tail of a burst never waits for the sweep.
     * The local stack, the test fixtures and the CDK stack create the queue with this value.
     */
    public static final int QUEUE_DELAY_SECONDS = (int) BUCKET.toSeconds() + 1;
    /** SendMessageBatch takes at most 10 entries. */
    private static final int MAX_BATCH = 10;

    private final SqsClient sqs;
    private final String queueUrl;
    private final Clock clock;
    private final LogSink logSink;
    private final AtomicLong sendFailures = new AtomicLong();
    private final AtomicLong invalidOrgIds = new AtomicLong();

    public RollupJobQueue(SqsClient sqs, String queueUrl, Clock clock, LogSink logSink) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.clock = clock;
        this.logSink = logSink;
    }

    /** The ingest path's queue at {@code queueUrl}, or {@link RollupJobs#none()} when no queue URL is set. */
    public static RollupJobs fromConfig(Optional<String> queueUrl, AwsConfig aws) {
        return queueUrl
                .<RollupJobs>map(url -> new RollupJobQueue(AwsClients.sqs(aws), url, Clock.systemUTC(),
                        LogSink.stdout()))
                .orElseGet(RollupJobs::none);
    }

    /** Ingest path: fire and forget, one job per org this request claimed, deduplicated by its bucket. */
    @Override
    public void requestRollups(Map<String, Long> claimedBuckets) {
        List<String> queueable = queueable(List.copyOf(claimedBuckets.keySet()), "fanOut");
        for (List<String> batch : batchesOf(queueable)) {
            try {
                List<String> failed = send(batch, orgId -> orgId + ":" + claimedBuckets.get(orgId));
                if (!failed.isEmpty()) {
                    recordSendFailure("fanOut", "BatchEntriesRefused", failed.size());
                }
            } catch (RuntimeException e) {
                // SdkException, or anything else: the events are committed and the sweep finds the orgs.
                recordSendFailure("fanOut", e.getClass().getSimpleName(), batch.size());
            }
        }
    }

    /**
     * An empty SendMessageBatch, the ingest path's own operation: SQS refuses it ({@code EmptyBatchRequest})
     * with nothing queued, after the signing, the connection (TLS on AWS) and the marshalling a real send
     * needs; and it needs no permission the ingest path does not have ({@code sqs:SendMessage}). ElasticMQ
     * answers it with an empty result instead: an answer too.
     */
    @Override
    public Optional<String> warmUp() {
        try {
            sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(List.of()));
            return Optional.empty();
        } catch (EmptyBatchRequestException refusedAsExpected) {
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of(FailureText.of(e));
        }
    }

    /**
     * Sweep: one job per org. Its own deduplication ids, so a fan-out message of the same bucket that a
     * worker already processed cannot swallow the sweep's job (the sweep exists for events that came
     * after such a job). Every batch is tried whatever happened to the one before; then, when some job
     * could not be sent, throws so the scheduled run reports the failure.
     *
     * @return the orgs whose job was queued
     */
    public Set<String> enqueue(Set<String> orgIds) {
        long currentBucket = currentBucket();
        List<String> all = queueable(List.copyOf(orgIds), "sweep");
        Set<String> queued = new LinkedHashSet<>();
        int notSent = 0;
        RuntimeException firstFailure = null;
        for (List<String> batch : batchesOf(all)) {
            try {
                List<String> failed = send(batch, orgId -> orgId + ":sweep:" + currentBucket);
                batch.stream().filter(orgId -> !failed.contains(orgId)).forEach(queued::add);
                notSent += failed.size();
            } catch (SdkException e) {
                notSent += batch.size();
                firstFailure = firstFailure == null ? e : firstFailure;
            }
        }
        if (notSent > 0) {
            recordSendFailure("sweep", firstFailure == null ? "BatchEntriesRefused" : firstFailure.getClass().getSimpleName(),
                    notSent);
            throw new RollupQueueException(notSent + " of " + all.size() + " sweep jobs not sent; "
                    + queued.size() + " queued", firstFailure);
        }
        return queued;
    }

    /**
     * Worker: the next job of an org that still has a backlog. Deduplicated by the message it follows,
     * so a worker retrying the same message does not queue the continuation twice, while the bucket of
     * the message it follows cannot swallow it.
     */
    public void enqueueContinuation(String orgId, String afterMessageId) {
        send(List.of(orgId), org -> org + ":after:" + afterMessageId);
    }

    /**
     * One SendMessageBatch of at most 10 orgs (all valid, see {@link #queueable}).
     *
     * @return the orgs whose entry SQS refused (the others are queued)
     * @throws SdkException when the call as a whole failed
     */
    private List<String> send(List<String> orgIds, Function<String, String> deduplicationId) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < orgIds.size(); i++) {
            String orgId = orgIds.get(i);
            entries.add(SendMessageBatchRequestEntry.builder()
                    .id(Integer.toString(i))
                    .messageBody(new RollupJobMessage(orgId).toJson())
                    .messageGroupId(FifoIds.safe(orgId))
                    .messageDeduplicationId(FifoIds.safe(deduplicationId.apply(orgId)))
                    .build());
        }
        SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
        return response.failed().stream().map(BatchResultErrorEntry::id).map(Integer::parseInt).map(orgIds::get).toList();
    }

    /** {@code orgIds} in SendMessageBatch-sized parts. */
    private static List<List<String>> batchesOf(List<String> orgIds) {
        List<List<String>> batches = new ArrayList<>();
        for (int from = 0; from < orgIds.size(); from += MAX_BATCH) {
            batches.add(orgIds.subList(from, Math.min(orgIds.size(), from + MAX_BATCH)));
        }
        return batches;
    }

    /** The orgs a job can be queued for; every other one is logged and counted, and left out. */
    private List<String> queueable(List<String> orgIds, String operation) {
        List<String> valid = new ArrayList<>();
        for (String orgId : orgIds) {
            if (Identifier.isValid(orgId)) {
                valid.add(orgId);
            } else {
                invalidOrgIds.incrementAndGet();
                logSink.write(new EmfDocument("Huddle/Rollup", clock.instant())
                        .dimension("operation", operation)
                        .metric("rollupInvalidOrgIds", 1, "Count")
                        // Escaped by the JSON writer; cut so a huge value cannot flood the log.
                        .property("orgId", orgId == null ? "null" : orgId.substring(0, Math.min(orgId.length(), 200)))
                        .property("rule", "Identifier: 1-128 characters [A-Za-z0-9._:-]")
                        .toJson());
            }
        }
        return valid;
    }

    private void recordSendFailure(String operation, String failure, int orgs) {
        sendFailures.incrementAndGet();
        logSink.write(new EmfDocument("Huddle/Rollup", clock.instant())
                .dimension("operation", operation)
                .metric("rollupSendFailures", 1, "Count")
                .property("failure", failure)
                .property("orgs", orgs)
                .toJson());
    }

    private long currentBucket() {
        return bucketAt(clock);
    }

    /**
     * The fan-out bucket the ingest path claims on {@code clock} ({@link dev.huddle.dbapi.RollupFanOutClaim}): the
     * deduplication ids of {@link #requestRollups} are the org plus this number.
     */
    public static LongSupplier fanOutBuckets(Clock clock) {
        return () -> bucketAt(clock);
    }

    private static long bucketAt(Clock clock) {
        return clock.millis() / BUCKET.toMillis();
    }

    public long sendFailures() {
        return sendFailures.get();
    }

    public long invalidOrgIds() {
        return invalidOrgIds.get();
    }

    /** Some entries of a batch were refused by SQS. */
    public static final class RollupQueueException extends RuntimeException {
        public RollupQueueException(String message) {
            super(message);
        }

        public RollupQueueException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
