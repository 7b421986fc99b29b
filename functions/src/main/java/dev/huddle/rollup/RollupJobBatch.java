package dev.huddle.rollup;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
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

/**
 * Runs one batch of rollup job messages from the FIFO job queue. Each message asks for one org's rollup: its
 * jobs run until the backlog is gone or the invocation's time or the job cap runs out ({@link BacklogDrain}),
 * and only then a continuation is queued. The failed messages are answered to the caller, which reports them
 * per message, and made visible again within seconds ({@link FailedJobRetry}); after the queue's
 * maxReceiveCount they move to the dead-letter queue. One metric line per batch, one per failure.
 *
 * <p>FIFO rule (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html): once a
 * message of a group fails, the later messages of that group in the batch are reported failed without
 * running, so a group is never processed out of order. Other groups carry on.
 */
final class RollupJobBatch {
    private static final String GROUP_ATTRIBUTE = "MessageGroupId";

    /** Queues the job that follows a message whose job left a backlog. */
    @FunctionalInterface
    interface NextJobs {
        void enqueueContinuation(String orgId, String afterMessageId);
    }

    /** Makes the failed messages of a batch visible again soon (the queue's visibility timeout is 900 s). */
    @FunctionalInterface
    interface FailedJobs {
        /** Must not throw: the messages are reported failed whatever it does. */
        void retrySoon(List<SQSMessage> failed);
    }

    private final BacklogDrain drain;
    private final NextJobs nextJobs;
    private final FailedJobs failedJobs;
    private final LogSink logSink;
    private final Clock clock;

    RollupJobBatch(RollupWorker worker, NextJobs nextJobs, FailedJobs failedJobs, LogSink logSink, Clock clock) {
        this.drain = new BacklogDrain(worker, BacklogDrain.MAX_JOBS_PER_MESSAGE);
        this.nextJobs = nextJobs;
        this.failedJobs = failedJobs;
        this.logSink = logSink;
        this.clock = clock;
    }

    /** Runs the messages in order with the invocation's time left; answers the failed ones. */
    List<SQSMessage> process(List<SQSMessage> messages, LongSupplier remainingMillis) {
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
        return failed;
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
