package dev.huddle.devservers;

import java.time.Duration;
import java.util.UUID;
import software.amazon.awssdk.services.sqs.SqsClient;

/** A real ElasticMQ in this JVM and a client for it; each test makes its own queues. */
final class TestQueues implements AutoCloseable {
    private final ElasticMqServer server;
    final SqsClient sqs;

    TestQueues() {
        server = ElasticMqServer.start(0);
        sqs = server.client();
    }

    /** A queue with a dead-letter queue behind it; returns {main url, dlq url}. */
    String[] queueWithDeadLetters(boolean fifo, int maxReceiveCount) {
        QueueWithDeadLetters queues = QueueWithDeadLetters.named("q-" + UUID.randomUUID().toString().substring(0, 8))
                .fifo(fifo).maxReceiveCount(maxReceiveCount).visibilityTimeout(Duration.ofSeconds(1)).create(sqs);
        return new String[] {queues.queueUrl(), queues.deadLetterQueueUrl()};
    }

    String arn(String queueUrl) {
        return SqsQueues.arn(sqs, queueUrl);
    }

    /** Visible, delayed and in-flight messages. */
    long messagesIn(String queueUrl) {
        return SqsQueues.messagesHeld(sqs, queueUrl);
    }

    @Override
    public void close() {
        sqs.close();
        server.close();
    }
}
