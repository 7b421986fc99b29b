package dev.huddle.local.sqs;

import dev.huddle.common.Json;
import dev.huddle.rollup.RollupJobQueue;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The rollup job queues as the CDK stack defines them on AWS: a FIFO queue (message group = org, the sender
 * sets the deduplication id, every message delayed by {@link RollupJobQueue#QUEUE_DELAY_SECONDS}) and a FIFO dead-letter queue that takes a job after {@code maxReceiveCount}
 * failed receives. Creating them again returns the existing queues.
 *
 * @param queueUrl the job queue ({@code ROLLUP_QUEUE_URL})
 * @param deadLetterQueueUrl its dead-letter queue ({@code ROLLUP_DLQ_URL})
 */
public record RollupQueues(String queueUrl, String deadLetterQueueUrl) {
    public static final String QUEUE_NAME = "huddle-rollup-jobs.fifo";
    public static final String DEAD_LETTER_QUEUE_NAME = "huddle-rollup-jobs-dlq.fifo";
    /** The queue's own default; the event source mapping sets its visibility timeout on every receive. */
    static final int VISIBILITY_TIMEOUT_SECONDS = 60;
    /** SQS's maximum: a dead letter waits two weeks for someone to look at it. */
    static final int DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 3600;

    public static RollupQueues create(SqsClient sqs, int maxReceiveCount) {
        if (maxReceiveCount < 1) {
            throw new IllegalArgumentException("maxReceiveCount must be at least 1: " + maxReceiveCount);
        }
        String deadLetterQueueUrl = sqs.createQueue(request -> request.queueName(DEAD_LETTER_QUEUE_NAME)
                .attributes(Map.of(
                        QueueAttributeName.FIFO_QUEUE, "true",
                        QueueAttributeName.MESSAGE_RETENTION_PERIOD, Integer.toString(DEAD_LETTER_RETENTION_SECONDS))))
                .queueUrl();
        String deadLetterArn = sqs.getQueueAttributes(request -> request.queueUrl(deadLetterQueueUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        String redrivePolicy = Json.mapper().createObjectNode()
                .put("deadLetterTargetArn", deadLetterArn)
                .put("maxReceiveCount", Integer.toString(maxReceiveCount))
                .toString();
        String queueUrl = sqs.createQueue(request -> request.queueName(QUEUE_NAME)
                .attributes(Map.of(
                        QueueAttributeName.FIFO_QUEUE, "true",
                        QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(VISIBILITY_TIMEOUT_SECONDS),
                        // Why every job waits out its fan-out bucket: see the constant.
                        QueueAttributeName.DELAY_SECONDS, Integer.toString(RollupJobQueue.QUEUE_DELAY_SECONDS),
                        QueueAttributeName.REDRIVE_POLICY, redrivePolicy)))
                .queueUrl();
        return new RollupQueues(queueUrl, deadLetterQueueUrl);
    }
}
