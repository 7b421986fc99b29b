package dev.huddle.local.sqs;

import dev.huddle.common.AwsClients;
import dev.huddle.common.AwsConfig;
import dev.huddle.devservers.ElasticMqServer;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** A real ElasticMQ in this JVM and a client for it; each test makes its own queues. */
final class TestQueues implements AutoCloseable {
    private final ElasticMqServer server;
    final SqsClient sqs;

    TestQueues() {
        server = ElasticMqServer.start(0);
        // Long polls of a few seconds: far beyond the ingest path's send budget.
        sqs = AwsClients.sqs(AwsConfig.from(Map.of("SQS_ENDPOINT", server.endpoint().toString(),
                "SQS_TIMEOUT_MS", "30000")));
    }

    /** A queue with a dead-letter queue behind it; returns {main url, dlq url}. */
    String[] queueWithDeadLetters(boolean fifo, int maxReceiveCount) {
        String name = "q-" + UUID.randomUUID().toString().substring(0, 8);
        String suffix = fifo ? ".fifo" : "";
        String dlq = create(name + "-dlq" + suffix, fifo, Map.of());
        String dlqArn = arn(dlq);
        String main = create(name + suffix, fifo, Map.of(QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + maxReceiveCount + "\"}"));
        return new String[] {main, dlq};
    }

    private String create(String name, boolean fifo, Map<QueueAttributeName, String> extra) {
        Map<QueueAttributeName, String> attributes = new HashMap<>(extra);
        attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, "1");
        if (fifo) {
            attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
        }
        return sqs.createQueue(request -> request.queueName(name).attributes(attributes)).queueUrl();
    }

    String arn(String queueUrl) {
        return sqs.getQueueAttributes(request -> request.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    /** Visible plus in-flight messages. */
    int messagesIn(String queueUrl) {
        var attributes = sqs.getQueueAttributes(request -> request.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    @Override
    public void close() {
        sqs.close();
        server.close();
    }
}
