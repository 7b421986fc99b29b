package dev.huddle.replay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Moves dead letters back to the main queue: receive from the DLQ, send the same body to the main
 * queue in the same message group, then delete from the DLQ. The send is deduplicated by the dead
 * letter's message id, so a replay that dies between send and delete and runs again does not queue
 * the job twice (within SQS's 5-minute deduplication window; a rollup job is safe to repeat anyway).
 *
 * <p>A dry run receives and lists without moving, then makes the messages visible again at once. A FIFO
 * queue hands out one message per group while that one is in flight, so the dry run lists the first
 * message of each group and reports the queue's approximate total.
 */
public final class DeadLetterReplayer {
    /** How long a received dead letter stays hidden while it is moved or listed. */
    private static final Duration IN_FLIGHT = Duration.ofSeconds(30);

    private final SqsClient sqs;
    private final String deadLetterQueueUrl;
    private final String mainQueueUrl;

    public DeadLetterReplayer(SqsClient sqs, String deadLetterQueueUrl, String mainQueueUrl) {
        this.sqs = sqs;
        this.deadLetterQueueUrl = deadLetterQueueUrl;
        this.mainQueueUrl = mainQueueUrl;
    }

    /** One dead letter: its id, group and body (a job body is only an org id: no personal data). */
    public record DeadLetter(String messageId, String groupId, String body) {
    }

    public record Report(boolean dryRun, List<DeadLetter> messages, long approximateTotal) {
    }

    /** Replays (or with dryRun lists) at most maxMessages dead letters. */
    public Report replay(boolean dryRun, int maxMessages) {
        long approximateTotal = approximateCount();
        List<DeadLetter> seen = new ArrayList<>();
        List<String> receiptsToRelease = new ArrayList<>();
        while (seen.size() < maxMessages) {
            List<Message> batch = receive(Math.min(10, maxMessages - seen.size()));
            if (batch.isEmpty()) {
                break;
            }
            for (Message message : batch) {
                String group = message.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID);
                seen.add(new DeadLetter(message.messageId(), group, message.body()));
                if (dryRun) {
                    receiptsToRelease.add(message.receiptHandle());
                } else {
                    moveToMainQueue(message, group);
                }
            }
        }
        receiptsToRelease.forEach(receipt -> sqs.changeMessageVisibility(b -> b.queueUrl(deadLetterQueueUrl)
                .receiptHandle(receipt).visibilityTimeout(0)));
        return new Report(dryRun, List.copyOf(seen), approximateTotal);
    }

    private List<Message> receive(int max) {
        return sqs.receiveMessage(b -> b.queueUrl(deadLetterQueueUrl)
                        .maxNumberOfMessages(max)
                        .visibilityTimeout((int) IN_FLIGHT.toSeconds())
                        .waitTimeSeconds(0)
                        .messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_GROUP_ID))
                .messages();
    }

    private void moveToMainQueue(Message message, String group) {
        sqs.sendMessage(b -> b.queueUrl(mainQueueUrl)
                .messageBody(message.body())
                .messageGroupId(group == null ? "replayed" : group)
                .messageDeduplicationId("replay-" + message.messageId()));
        sqs.deleteMessage(b -> b.queueUrl(deadLetterQueueUrl).receiptHandle(message.receiptHandle()));
    }

    private long approximateCount() {
        String count = sqs.getQueueAttributes(b -> b.queueUrl(deadLetterQueueUrl)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
        return count == null ? 0 : Long.parseLong(count);
    }
}
