package dev.huddle.rollup;

import dev.huddle.common.AwsClients;
import dev.huddle.common.AwsConfig;
import static org.awaitility.Awaitility.await;

import dev.huddle.devservers.ElasticMqServer;
import dev.huddle.devservers.QueueWithDeadLetters;
import dev.huddle.devservers.SqsQueues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** One ElasticMQ per test JVM, a fresh FIFO job queue with its DLQ per test, and small helpers. */
public final class TestSqs {
    public static final int MAX_RECEIVE_COUNT = 3;
    /** How long a receive may wait for a message: the queue delay many times over, for a busy machine. */
    public static final Duration WAIT = Duration.ofSeconds(60);
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

    /** The tests' own client: its calls may long-poll for the queue delay, far beyond a sender's budget. */
    public static SqsClient client() {
        return AwsClients.sqs(AwsConfig.from(Map.of("SQS_ENDPOINT", server().endpoint().toString(), "SQS_TIMEOUT_MS", "30000")));
    }

    /** The job queue's visibility timeout on AWS: 6 × the worker's timeout (infra-cdk RollupPipeline). */
    public static final int VISIBILITY_TIMEOUT_SECONDS = 900;

    /**
     * A FIFO job queue whose messages move to a FIFO DLQ after MAX_RECEIVE_COUNT receives, with the
     * production queue delay ({@link RollupJobQueue#QUEUE_DELAY_SECONDS}) and visibility timeout.
     */
    public static Queues createJobQueues(SqsClient sqs) {
        QueueWithDeadLetters queues = QueueWithDeadLetters.named("rollup-jobs-" + QUEUES.incrementAndGet())
                .fifo(true)
                .maxReceiveCount(MAX_RECEIVE_COUNT)
                .delay(Duration.ofSeconds(RollupJobQueue.QUEUE_DELAY_SECONDS))
                .visibilityTimeout(Duration.ofSeconds(VISIBILITY_TIMEOUT_SECONDS))
                .create(sqs);
        return new Queues(queues.queueUrl(), queues.deadLetterQueueUrl());
    }

    /**
     * Up to 10 messages; while none is visible but the queue still holds some (delayed or in flight),
     * waits for them with long polls. Empty only once the queue holds no message at all: a single empty
     * receive proves nothing on a busy machine, where a delayed message turns visible a moment later.
     */
    public static List<Message> receive(SqsClient sqs, String queueUrl) {
        return await("a message from " + queueUrl + ", or that queue holding none at all")
                .atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    List<Message> messages = receive(sqs, queueUrl, 0);
                    // Counted after the empty receive: a message that turned visible since then counts here.
                    if (!messages.isEmpty() || messagesHeld(sqs, queueUrl) == 0) {
                        return messages;
                    }
                    // Some are delayed: a long poll answers as soon as one turns visible.
                    messages = receive(sqs, queueUrl, 1);
                    return messages.isEmpty() ? null : messages;
                }, Objects::nonNull);
    }

    /** One receive: the wait for a message is the caller's, receive(sqs, queueUrl) above. */
    private static List<Message> receive(SqsClient sqs, String queueUrl, int waitSeconds) {
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(waitSeconds)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
    }

    /** Receives and deletes every message, waiting for the delayed ones, until the queue holds none. */
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

    /** Visible, delayed and in-flight messages ({@link SqsQueues#messagesHeld}). */
    public static long messagesHeld(SqsClient sqs, String queueUrl) {
        return SqsQueues.messagesHeld(sqs, queueUrl);
    }

    /** Visible messages only (not the delayed or in-flight ones). */
    public static long approximateCount(SqsClient sqs, String queueUrl) {
        return Long.parseLong(sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }
}
