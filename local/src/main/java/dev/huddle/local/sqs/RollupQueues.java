package dev.huddle.local.sqs;

import dev.huddle.devservers.QueueWithDeadLetters;
import dev.huddle.rollup.RollupJobQueue;
import java.time.Duration;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The rollup job queues as the CDK stack defines them on AWS: a FIFO queue (message group = org, the sender
 * sets the deduplication id, every message delayed by {@link RollupJobQueue#QUEUE_DELAY_SECONDS}) and a FIFO dead-letter queue that takes a job after {@code maxReceiveCount}
 * failed receives. Creating them again returns the existing queues.
 *
 * @param queueUrl the job queue ({@code ROLLUP_QUEUE_URL})
 * @param deadLetterQueueUrl its dead-letter queue ({@code ROLLUP_DLQ_URL})
 */
public record RollupQueues(String queueUrl, String deadLetterQueueUrl) {
    private static final String NAME = "huddle-rollup-jobs";
    public static final String QUEUE_NAME = NAME + ".fifo";
    public static final String DEAD_LETTER_QUEUE_NAME = NAME + "-dlq.fifo";
    /** The queue's own default; the event source mapping sets its visibility timeout on every receive. */
    static final int VISIBILITY_TIMEOUT_SECONDS = 60;
    /** SQS's maximum: a dead letter waits two weeks for someone to look at it. */
    static final int DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 3600;

    public static RollupQueues create(SqsClient sqs, int maxReceiveCount) {
        QueueWithDeadLetters queues = QueueWithDeadLetters.named(NAME)
                .fifo(true)
                .maxReceiveCount(maxReceiveCount)
                .visibilityTimeout(Duration.ofSeconds(VISIBILITY_TIMEOUT_SECONDS))
                // Why every job waits out its fan-out bucket: see the constant.
                .delay(Duration.ofSeconds(RollupJobQueue.QUEUE_DELAY_SECONDS))
                .deadLetterRetention(Duration.ofSeconds(DEAD_LETTER_RETENTION_SECONDS))
                .create(sqs);
        return new RollupQueues(queues.queueUrl(), queues.deadLetterQueueUrl());
    }
}
