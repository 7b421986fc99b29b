package dev.huddle.devservers;

import java.time.Duration;
import java.util.Objects;

/**
 * How a local event source mapping polls one queue, with the knobs of Lambda's SQS event source mapping.
 *
 * @param functionName the function's name (in the Lambda context and log lines)
 * @param queueUrl the queue to poll
 * @param batchSize the most messages per invocation (SQS returns at most 10 per receive)
 * @param visibilityTimeout how long a received message stays invisible; a message that is not deleted
 *     (a reported failure, or the whole batch when the function throws) reappears after it. It is also the
 *     function's timeout, as Lambda requires the queue's visibility timeout to be at least the function's.
 * @param longPollWait how long one receive waits for messages (SQS allows up to 20 s; shorter lets the
 *     mapping stop quickly)
 * @param concurrency parallel pollers, each with its own function instance (an execution environment)
 */
public record SqsEventSourceSettings(String functionName, String queueUrl, int batchSize,
        Duration visibilityTimeout, Duration longPollWait, int concurrency) {
    public static final int MAX_BATCH_SIZE = 10;

    public SqsEventSourceSettings {
        Objects.requireNonNull(functionName, "functionName == null");
        Objects.requireNonNull(queueUrl, "queueUrl == null");
        Objects.requireNonNull(visibilityTimeout, "visibilityTimeout == null");
        Objects.requireNonNull(longPollWait, "longPollWait == null");
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("batchSize must be 1.." + MAX_BATCH_SIZE + ": " + batchSize);
        }
        if (visibilityTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("visibilityTimeout must be at least 1 s: " + visibilityTimeout);
        }
        if (longPollWait.isNegative() || longPollWait.toSeconds() > 20) {
            throw new IllegalArgumentException("longPollWait must be 0..20 s: " + longPollWait);
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
        }
    }
}
