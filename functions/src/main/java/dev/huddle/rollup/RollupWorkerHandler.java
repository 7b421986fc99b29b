package dev.huddle.rollup;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import dev.huddle.common.AwsClients;
import dev.huddle.common.Config;
import dev.huddle.common.observability.EmfDocument;
import dev.huddle.common.observability.LogSink;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Lambda entry point of the rollup worker, fed by the FIFO job queue. Each message asks for one org's
 * rollup: the handler runs that org's jobs until its backlog is gone or the invocation's time or the job
 * cap runs out ({@link BacklogDrain}), and only then queues a continuation. Failures are reported per message
 * ({@code batchItemFailures}, the event source mapping needs ReportBatchItemFailures), so only the
 * failed ones come back, within seconds ({@link FailedJobRetry}); after the queue's maxReceiveCount they
 * move to the dead-letter queue.
 *
 * <p>FIFO rule (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html): once a
 * message of a group fails, the later messages of that group in the batch are reported failed without
 * running, so a group is never processed out of order. Other groups carry on.
 */
public final class RollupWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final String GROUP_ATTRIBUTE = "MessageGroupId";

    /** Queues the job that follows a message whose job left a backlog. */
    @FunctionalInterface
    public interface NextJobs {
        void enqueueContinuation(String orgId, String afterMessageId);
    }

    /** Makes the failed messages of a batch visible again soon (the queue's visibility timeout is 900 s). */
    @FunctionalInterface
    public interface FailedJobs {
        /** Must not throw: the messages are reported failed whatever it does. */
        void retrySoon(List<SQSMessage> failed);
    }

    /** Without a Lambda context (tests, direct calls) only the job cap bounds a message. */
    private static final LongSupplier NO_DEADLINE = () -> Long.MAX_VALUE;

    private final RollupWorker worker;
    private final BacklogDrain drain;
    private final NextJobs nextJobs;
    private final FailedJobs failedJobs;
    private final LogSink logSink;
    private final Clock clock;

    /** Lambda's constructor: configuration from the environment, collaborators built once per container. */
    public RollupWorkerHandler() {
        this(fromConfig(Config.fromEnvironment()));
    }

    private RollupWorkerHandler(RollupWorkerHandler wired) {
        this(wired.worker, wired.nextJobs, wired.failedJobs, wired.logSink, wired.clock);
    }

    public RollupWorkerHandler(RollupWorker worker, NextJobs nextJobs, FailedJobs failedJobs, LogSink logSink,
                               Clock clock) {
        this.worker = worker;
        this.drain = new BacklogDrain(worker, BacklogDrain.MAX_JOBS_PER_MESSAGE);
        this.nextJobs = nextJobs;
        this.failedJobs = failedJobs;
        this.logSink = logSink;
        this.clock = clock;
    }

    public static RollupWorkerHandler fromConfig(Config config) {
        String queueUrl = config.rollupQueueUrl().orElseThrow(() ->
                new IllegalStateException("ROLLUP_QUEUE_URL is required by the rollup worker"));
        LogSink logSink = LogSink.stdout();
        SqsClient sqs = AwsClients.sqs(config);
        RollupJobQueue queue = new RollupJobQueue(sqs, queueUrl, Clock.systemUTC(), RollupJobQueue.DEFAULT_BUCKET, logSink);
        return new RollupWorkerHandler(PostgresRollupWorker.fromConfig(config), queue::enqueueContinuation,
                new FailedJobRetry(sqs, queueUrl, logSink, Clock.systemUTC()), logSink, Clock.systemUTC());
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return handle(event, context == null ? NO_DEADLINE : context::getRemainingTimeInMillis);
    }

    /** As Lambda calls it, with the invocation's time left as a supplier (tests control it). */
    SQSBatchResponse handle(SQSEvent event, LongSupplier remainingMillis) {
        return process(event.getRecords() == null ? List.of() : event.getRecords(), remainingMillis);
    }

    private SQSBatchResponse process(List<SQSMessage> messages, LongSupplier remainingMillis) {
        List<SQSMessage> failed = new ArrayList<>();
        Set<String> failedGroups = new HashSet<>();
        long eventsProcessed = 0;
        int jobsRun = 0;
        int continuations = 0;
        int malformed = 0;
        for (SQSMessage message : messages) {
            String group = message.getAttributes() == null ? null : message.getAttributes().get(GROUP_ATTRIBUTE);
            if (group != null && failedGroups.contains(group)) {
                failed.add(message);
                continue;
            }
            Optional<RollupJobMessage> job = RollupJobMessage.parse(message.getBody());
            try {
                if (job.isEmpty()) {
                    malformed++;
                    throw new IllegalArgumentException("malformed rollup job message");
                }
                BacklogDrain.Outcome outcome = drain.drain(job.get().orgId(), remainingMillis);
                eventsProcessed += outcome.processed();
                jobsRun += outcome.jobs();
                if (outcome.hasMore()) {
                    nextJobs.enqueueContinuation(job.get().orgId(), message.getMessageId());
                    continuations++;
                }
            } catch (Exception e) {
                failed.add(message);
                if (group != null) {
                    failedGroups.add(group);
                }
                logFailure(message, job, e);
            }
        }
        if (!failed.isEmpty()) {
            failedJobs.retrySoon(failed);
        }
        logSink.write(new EmfDocument("Huddle/Rollup", clock.instant())
                .dimension("operation", "worker")
                .metric("rollupMessages", messages.size(), "Count")
                .metric("rollupMessagesFailed", failed.size(), "Count")
                .metric("rollupMessagesMalformed", malformed, "Count")
                .metric("rollupEventsProcessed", eventsProcessed, "Count")
                .metric("rollupJobsRun", jobsRun, "Count")
                .metric("rollupContinuations", continuations, "Count")
                .toJson());
        return SQSBatchResponse.builder()
                .withBatchItemFailures(failed.stream().map(RollupWorkerHandler::failure).toList())
                .build();
    }

    private static SQSBatchResponse.BatchItemFailure failure(SQSMessage message) {
        return SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build();
    }

    /** What failed and where, without the body (a malformed body could hold anything). */
    private void logFailure(SQSMessage message, Optional<RollupJobMessage> job, Exception e) {
        EmfDocument line = new EmfDocument("Huddle/Rollup", clock.instant())
                .dimension("operation", "workerFailure")
                .metric("rollupJobFailures", 1, "Count")
                .property("messageId", message.getMessageId())
                .property("failure", e.getClass().getSimpleName());
        job.ifPresent(j -> line.property("orgId", j.orgId()));
        if (e instanceof SQLException sql && sql.getSQLState() != null) {
            line.property("sqlState", sql.getSQLState());
        }
        logSink.write(line.toJson());
    }
}
