package dev.huddle.rollup;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import dev.huddle.common.observability.EmfDocument;
import dev.huddle.common.observability.LogSink;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;

/**
 * Brings a failed rollup job back within seconds instead of after the queue's visibility timeout (six
 * times the worker's timeout, 900 s, which AWS asks of an SQS event source): the worker shortens the
 * failed messages' visibility with ChangeMessageVisibility before it returns them as batch item
 * failures, and the event source mapping leaves them as they are. The delay grows with each receive
 * ({@link #delayAfter}) so a database outage is not hammered, and every receive still counts towards the
 * queue's maxReceiveCount: a poison job reaches the dead-letter queue as before, only sooner.
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html, "Implementing partial
 * batch responses"; a FIFO group stays blocked while its failed message is invisible, so the shorter
 * visibility also frees the org's later jobs sooner.)
 */
final class FailedJobRetry implements RollupJobBatch.FailedJobs {
    /** The first retry's delay; each further receive doubles it, up to {@link #MAX_DELAY}. */
    public static final Duration FIRST_DELAY = Duration.ofSeconds(5);
    public static final Duration MAX_DELAY = Duration.ofSeconds(60);
    private static final String RECEIVE_COUNT = "ApproximateReceiveCount";
    /** ChangeMessageVisibilityBatch takes at most 10 entries. */
    private static final int MAX_BATCH = 10;

    private final SqsClient sqs;
    private final String queueUrl;
    private final Duration firstDelay;
    private final Duration maxDelay;
    private final LogSink logSink;
    private final Clock clock;

    public FailedJobRetry(SqsClient sqs, String queueUrl, LogSink logSink, Clock clock) {
        this(sqs, queueUrl, FIRST_DELAY, MAX_DELAY, logSink, clock);
    }

    /** With other delays (tests that must not wait for the production ones). */
    public FailedJobRetry(SqsClient sqs, String queueUrl, Duration firstDelay, Duration maxDelay, LogSink logSink,
                          Clock clock) {
        if (firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= firstDelay <= maxDelay: " + firstDelay + ", " + maxDelay);
        }
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.firstDelay = firstDelay;
        this.maxDelay = maxDelay;
        this.logSink = logSink;
        this.clock = clock;
    }

    /** The visibility a message gets after its {@code receiveCount}-th receive failed: 5, 10, 20, 40, 60, 60... s. */
    Duration delayAfter(int receiveCount) {
        int doublings = Math.max(0, Math.min(receiveCount - 1, 20));
        Duration delay = firstDelay.multipliedBy(1L << doublings);
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    /**
     * Never throws: a message whose visibility could not be changed still comes back, after the queue's
     * visibility timeout. Such failures are logged and counted ({@code rollupRetryScheduleFailures}).
     */
    @Override
    public void retrySoon(List<SQSMessage> failed) {
        List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
        for (SQSMessage message : failed) {
            if (message.getReceiptHandle() == null) {
                continue;
            }
            entries.add(ChangeMessageVisibilityBatchRequestEntry.builder()
                    .id(Integer.toString(entries.size()))
                    .receiptHandle(message.getReceiptHandle())
                    .visibilityTimeout((int) delayAfter(receiveCount(message)).toSeconds())
                    .build());
        }
        int notChanged = 0;
        String failure = null;
        for (int from = 0; from < entries.size(); from += MAX_BATCH) {
            List<ChangeMessageVisibilityBatchRequestEntry> batch = entries.subList(from, Math.min(entries.size(), from + MAX_BATCH));
            try {
                ChangeMessageVisibilityBatchResponse response =
                        sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(batch));
                if (!response.failed().isEmpty()) {
                    notChanged += response.failed().size();
                    failure = response.failed().getFirst().code();
                }
            } catch (SdkException e) {
                notChanged += batch.size();
                failure = e.getClass().getSimpleName();
            }
        }
        if (notChanged > 0) {
            logSink.write(new EmfDocument("Huddle/Rollup", clock.instant())
                    .dimension("operation", "workerRetry")
                    .metric("rollupRetryScheduleFailures", notChanged, "Count")
                    .property("failure", failure)
                    .toJson());
        }
    }

    private static int receiveCount(SQSMessage message) {
        Map<String, String> attributes = message.getAttributes();
        String count = attributes == null ? null : attributes.get(RECEIVE_COUNT);
        try {
            return count == null ? 1 : Integer.parseInt(count);
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
