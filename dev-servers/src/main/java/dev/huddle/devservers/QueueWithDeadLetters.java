package dev.huddle.devservers;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A queue and the dead-letter queue its redrive policy moves a message to after {@code maxReceiveCount}
 * receives, made through the SQS API (ElasticMQ, LocalStack or SQS) the way a CDK stack declares them
 * (infra-cdk RollupPipeline). The dead-letter queue is named {@code <name>-dlq}; FIFO queues get the
 * {@code .fifo} suffix SQS requires, both of them (a FIFO queue's dead-letter queue must be FIFO too).
 * Creating a pair again with the same settings returns the existing queues, as CreateQueue does.
 *
 * @param queueUrl the queue
 * @param deadLetterQueueUrl its dead-letter queue
 */
public record QueueWithDeadLetters(String queueUrl, String deadLetterQueueUrl) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public QueueWithDeadLetters {
        Objects.requireNonNull(queueUrl, "queueUrl == null");
        Objects.requireNonNull(deadLetterQueueUrl, "deadLetterQueueUrl == null");
    }

    /** A builder for the pair {@code name} and {@code name-dlq}; {@link Builder#maxReceiveCount} is required. */
    public static Builder named(String name) {
        return new Builder(name);
    }

    /** The settings of the pair; those left unset are the queue's defaults. */
    public static final class Builder {
        private final String name;
        private boolean fifo;
        private int maxReceiveCount;
        private Duration visibilityTimeout;
        private Duration delay;
        private Duration deadLetterRetention;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name == null");
        }

        /** Both queues FIFO (message groups, deduplication ids). */
        public Builder fifo(boolean fifo) {
            this.fifo = fifo;
            return this;
        }

        /** Receives of one message before the queue moves it to the dead-letter queue; at least 1. */
        public Builder maxReceiveCount(int maxReceiveCount) {
            if (maxReceiveCount < 1) {
                throw new IllegalArgumentException("maxReceiveCount must be at least 1: " + maxReceiveCount);
            }
            this.maxReceiveCount = maxReceiveCount;
            return this;
        }

        /** The queue's own visibility timeout (a receive may set another). */
        public Builder visibilityTimeout(Duration visibilityTimeout) {
            this.visibilityTimeout = Objects.requireNonNull(visibilityTimeout, "visibilityTimeout == null");
            return this;
        }

        /** Every message sent to the queue is delivered this much later. */
        public Builder delay(Duration delay) {
            this.delay = Objects.requireNonNull(delay, "delay == null");
            return this;
        }

        /** How long a dead letter is kept. */
        public Builder deadLetterRetention(Duration deadLetterRetention) {
            this.deadLetterRetention = Objects.requireNonNull(deadLetterRetention, "deadLetterRetention == null");
            return this;
        }

        /** Creates the dead-letter queue, then the queue whose redrive policy names it. */
        public QueueWithDeadLetters create(SqsClient sqs) {
            if (maxReceiveCount == 0) {
                throw new IllegalStateException("maxReceiveCount is not set for queue " + name);
            }
            Map<QueueAttributeName, String> deadLetterAttributes = attributes();
            putSeconds(deadLetterAttributes, QueueAttributeName.MESSAGE_RETENTION_PERIOD, deadLetterRetention);
            String deadLetterQueueUrl = create(sqs, name + "-dlq", deadLetterAttributes);

            Map<QueueAttributeName, String> queueAttributes = attributes();
            putSeconds(queueAttributes, QueueAttributeName.VISIBILITY_TIMEOUT, visibilityTimeout);
            putSeconds(queueAttributes, QueueAttributeName.DELAY_SECONDS, delay);
            queueAttributes.put(QueueAttributeName.REDRIVE_POLICY, JSON.createObjectNode()
                    .put("deadLetterTargetArn", SqsQueues.arn(sqs, deadLetterQueueUrl))
                    .put("maxReceiveCount", Integer.toString(maxReceiveCount))
                    .toString());
            return new QueueWithDeadLetters(create(sqs, name, queueAttributes), deadLetterQueueUrl);
        }

        private Map<QueueAttributeName, String> attributes() {
            Map<QueueAttributeName, String> attributes = new EnumMap<>(QueueAttributeName.class);
            if (fifo) {
                attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
            }
            return attributes;
        }

        private static void putSeconds(Map<QueueAttributeName, String> attributes, QueueAttributeName name,
                Duration value) {
            if (value != null) {
                attributes.put(name, Long.toString(value.toSeconds()));
            }
        }

        private String create(SqsClient sqs, String queueName, Map<QueueAttributeName, String> attributes) {
            String fullName = fifo ? queueName + ".fifo" : queueName;
            return sqs.createQueue(request -> request.queueName(fullName).attributes(attributes)).queueUrl();
        }
    }
}
