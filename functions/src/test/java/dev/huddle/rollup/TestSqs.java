package dev.huddle.rollup;

import dev.huddle.common.AwsClients;
import dev.huddle.common.Config;
import dev.huddle.devservers.ElasticMqServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** One ElasticMQ per test JVM, a fresh FIFO job queue with its DLQ per test, and small helpers. */
public final class TestSqs {
    public static final int MAX_RECEIVE_COUNT = 3;
    private static final AtomicInteger QUEUES = new AtomicInteger();
    private static ElasticMqServer server;

    private TestSqs() {
    }

    public record Queues(String mainUrl, String deadLetterUrl) {
    }

    public static synchronized ElasticMqServer server() {
        if (server == null) {
            server = ElasticMqServer.start(0);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "elasticmq-stop"));
        }
        return server;
    }

    /** The SQS settings the functions read, for this server (and optionally the queues). */
    public static Config config(Queues queues) {
        return Config.from(Map.of("SQS_ENDPOINT", server().endpoint().toString(), "SQS_TIMEOUT_MS", "5000",
                "ROLLUP_QUEUE_URL", queues.mainUrl(), "ROLLUP_DLQ_URL", queues.deadLetterUrl()));
    }

    /** The tests' own client: its calls may long-poll for the queue delay, far beyond a sender's budget. */
    public static SqsClient client() {
        return AwsClients.sqs(Config.from(Map.of("SQS_ENDPOINT", server().endpoint().toString(), "SQS_TIMEOUT_MS", "30000")));
    }

    /** The job queue's visibility timeout on AWS: 6 × the worker's timeout (infra-cdk RollupPipeline). */
    public static final int VISIBILITY_TIMEOUT_SECONDS = 900;

    /**
     * A FIFO job queue whose messages move to a FIFO DLQ after MAX_RECEIVE_COUNT receives, with the
     * production queue delay ({@link RollupJobQueue#QUEUE_DELAY_SECONDS}) and visibility timeout.
     */
    public static Queues createJobQueues(SqsClient sqs) {
        String name = "rollup-jobs-" + QUEUES.incrementAndGet();
        String dlqUrl = sqs.createQueue(b -> b.queueName(name + "-dlq.fifo")
                .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
        String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String redrive = "{\"maxReceiveCount\":\"" + MAX_RECEIVE_COUNT + "\",\"deadLetterTargetArn\":\"" + dlqArn + "\"}";
        String mainUrl = sqs.createQueue(b -> b.queueName(name + ".fifo")
                .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true", QueueAttributeName.REDRIVE_POLICY, redrive,
                        QueueAttributeName.DELAY_SECONDS, Integer.toString(RollupJobQueue.QUEUE_DELAY_SECONDS),
                        QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(VISIBILITY_TIMEOUT_SECONDS))))
                .queueUrl();
        return new Queues(mainUrl, dlqUrl);
    }

    /**
     * Up to 10 messages; when none is visible but some are still delayed, waits for them with a long
     * poll (no sleeping). Empty only when the queue holds no visible or delayed message.
     */
    public static List<Message> receive(SqsClient sqs, String queueUrl) {
        List<Message> messages = receive(sqs, queueUrl, 0);
        while (messages.isEmpty() && delayedCount(sqs, queueUrl) > 0) {
            messages = receive(sqs, queueUrl, RollupJobQueue.QUEUE_DELAY_SECONDS + 2);
        }
        return messages;
    }

    /** Up to 10 visible messages, long-polling up to {@code waitSeconds}. */
    static List<Message> receive(SqsClient sqs, String queueUrl, int waitSeconds) {
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(waitSeconds)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
    }

    /** Receives and deletes every message, waiting for the delayed ones. */
    public static List<Message> drain(SqsClient sqs, String queueUrl) {
        List<Message> all = new ArrayList<>();
        List<Message> batch;
        do {
            batch = receive(sqs, queueUrl);
            for (Message m : batch) {
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
            all.addAll(batch);
        } while (!batch.isEmpty());
        return all;
    }

    public static long delayedCount(SqsClient sqs, String queueUrl) {
        return Long.parseLong(sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
    }

    /** Messages received and neither deleted nor visible again, plus delayed ones. */
    public static long inFlightCount(SqsClient sqs, String queueUrl) {
        Map<QueueAttributeName, String> counts = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return Long.parseLong(counts.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                + Long.parseLong(counts.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
    }

    public static long approximateCount(SqsClient sqs, String queueUrl) {
        return Long.parseLong(sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, 
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }
}
