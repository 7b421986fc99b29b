package dev.huddle.rollup;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Plays Lambda's SQS event source mapping in tests: receives a batch, hands it to the worker handler as
 * an SQSEvent, deletes what succeeded and leaves what failed as it is, as Lambda does: a failed message
 * comes back when its visibility ends, which the handler shortens ({@link FailedJobRetry}). With the
 * queue's production visibility timeout (900 s, {@link TestSqs#createJobQueues}), a failed job that the
 * handler did not bring back soon makes the poller's deadline fail the test.
 */
final class EventSourcePoller {
    /** A minute left in every invocation: plenty for the tests' jobs. */
    private static final LongSupplier INVOCATION_TIME_LEFT = () -> 60_000;
    /** How long one round waits for a message in flight or delayed to become visible. */
    private static final Duration ROUND_DEADLINE = Duration.ofSeconds(120);

    private final SqsClient sqs;
    private final String queueUrl;
    private final RollupWorkerHandler handler;

    EventSourcePoller(SqsClient sqs, String queueUrl, RollupWorkerHandler handler) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.handler = handler;
    }

    /**
     * One receive-invoke-settle round (waiting for delayed messages and for failed ones to come back when
     * nothing is visible yet); answers how many messages it received.
     */
    int pollOnce() {
        List<Message> messages = receiveWaiting();
        if (messages.isEmpty()) {
            return 0;
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(messages.stream().map(EventSourcePoller::toLambdaMessage).toList());
        SQSBatchResponse response = handler.handle(event, INVOCATION_TIME_LEFT);
        Set<String> failed = response.getBatchItemFailures().stream()
                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).collect(Collectors.toSet());
        for (Message m : messages) {
            if (!failed.contains(m.messageId())) {
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
        return messages.size();
    }

    /** Visible messages; empty only when none is visible, delayed or in flight. */
    private List<Message> receiveWaiting() {
        Instant deadline = Instant.now().plus(ROUND_DEADLINE);
        List<Message> messages = TestSqs.receive(sqs, queueUrl);
        while (messages.isEmpty() && TestSqs.inFlightCount(sqs, queueUrl) > 0) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("a failed message stayed invisible for more than " + ROUND_DEADLINE);
            }
            messages = TestSqs.receive(sqs, queueUrl, 5);
        }
        return messages;
    }

    /** Polls until a receive comes back empty (at most maxRounds rounds); answers the rounds that received. */
    int pollUntilEmpty(int maxRounds) {
        for (int round = 0; round < maxRounds; round++) {
            if (pollOnce() == 0) {
                return round;
            }
        }
        throw new AssertionError("queue not empty after " + maxRounds + " rounds");
    }

    private static SQSEvent.SQSMessage toLambdaMessage(Message m) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId(m.messageId());
        message.setReceiptHandle(m.receiptHandle());
        message.setBody(m.body());
        Map<String, String> attributes = m.attributes().entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().toString(), Map.Entry::getValue));
        message.setAttributes(attributes);
        return message;
    }
}
