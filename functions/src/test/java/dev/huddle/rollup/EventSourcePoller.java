package dev.huddle.rollup;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Plays Lambda's SQS event source mapping in tests: receives a batch, hands it to the worker handler as
 * an SQSEvent, deletes what succeeded and returns what failed to the queue. A failed message is made
 * visible again at once, as if its visibility timeout had passed, so a test needs no waiting.
 */
final class EventSourcePoller {
    /** A minute left in every invocation: plenty for the tests' jobs. */
    private static final LongSupplier INVOCATION_TIME_LEFT = () -> 60_000;

    private final SqsClient sqs;
    private final String queueUrl;
    private final RollupWorkerHandler handler;

    EventSourcePoller(SqsClient sqs, String queueUrl, RollupWorkerHandler handler) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.handler = handler;
    }

    /**
     * One receive-invoke-settle round (waiting for delayed messages when nothing is visible yet); answers
     * how many messages it received.
     */
    int pollOnce() {
        List<Message> messages = TestSqs.receive(sqs, queueUrl);
        if (messages.isEmpty()) {
            return 0;
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(messages.stream().map(EventSourcePoller::toLambdaMessage).toList());
        SQSBatchResponse response = handler.handle(event, INVOCATION_TIME_LEFT);
        Set<String> failed = response.getBatchItemFailures().stream()
                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).collect(Collectors.toSet());
        for (Message m : messages) {
            if (failed.contains(m.messageId())) {
                sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
            } else {
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
        return messages.size();
    }

    /**
     * Polls until the queue holds no message, delayed or visible (at most maxRounds rounds); answers the
     * rounds that received.
     */
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
