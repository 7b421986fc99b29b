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
 * an SQSEvent, deletes what succeeded and leaves what failed as it is, as Lambda does: a failed message
 * comes back when its visibility ends, which the handler shortens ({@link FailedJobRetry}). With the
 * queue's production visibility timeout (900 s, {@link TestSqs#createJobQueues}), a failed job that the
 * handler did not bring back soon makes {@link TestSqs#receive}'s deadline fail the test.
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
     * One receive-invoke-settle round (waiting for delayed messages and for failed ones to come back when
     * nothing is visible yet); answers how many messages it received.
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
            if (!failed.contains(m.messageId())) {
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
