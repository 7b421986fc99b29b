package dev.huddle.local.sqs;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.huddle.local.gateway.LocalLambdaContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A local stand-in for Lambda's SQS event source mapping with {@code ReportBatchItemFailures}: pollers
 * long-poll the queue, hand each batch to the function as an {@link SQSEvent}, delete the messages that
 * succeeded and leave the rest as they are, to reappear when their visibility ends (the queue's timeout,
 * or sooner when the function changed it, as the rollup worker does: dev.huddle.rollup.FailedJobRetry) (and, after the queue's
 * {@code maxReceiveCount}, to move to its dead-letter queue). As on Lambda:
 * <ul>
 *   <li>the function returns {@code batchItemFailures}: those messages stay, the others are deleted; a null
 *       or empty response means every message succeeded;</li>
 *   <li>the function throws, or reports an item id that is not in the batch: the whole batch stays;</li>
 *   <li>FIFO ordering is the queue's: SQS hands out no further message of a group while one is in flight.</li>
 * </ul>
 * Each poller owns one function instance, so handlers need not be thread-safe, as on Lambda.
 */
public final class SqsEventSourceMapping implements AutoCloseable {
    /** After a failed receive (the queue is gone, the server is down) a poller waits this long. */
    private static final Duration RECEIVE_ERROR_BACKOFF = Duration.ofSeconds(1);
    private static final int MEMORY_MB = 1024;

    /** What the mapping did so far (tests wait on these; the banner prints them). */
    public record Counts(long invocations, long messagesSucceeded, long messagesFailed, long invocationErrors) {
    }

    private final SqsClient sqs;
    private final SqsEventSourceSettings settings;
    private final String queueArn;
    private final String region;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final List<Thread> pollers = new ArrayList<>();
    private final AtomicLong invocations = new AtomicLong();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong invocationErrors = new AtomicLong();

    private SqsEventSourceMapping(SqsClient sqs, SqsEventSourceSettings settings, String queueArn, String region) {
        this.sqs = sqs;
        this.settings = settings;
        this.queueArn = queueArn;
        this.region = region;
    }

    /**
     * Starts {@code settings.concurrency()} pollers, each with a function instance from {@code factory}.
     * The caller keeps ownership of {@code sqs} (close it after this mapping).
     */
    public static SqsEventSourceMapping start(SqsClient sqs, SqsEventSourceSettings settings,
            Supplier<? extends RequestHandler<SQSEvent, SQSBatchResponse>> factory) {
        Objects.requireNonNull(factory, "factory == null");
        String queueArn = sqs.getQueueAttributes(request -> request.queueUrl(settings.queueUrl())
                        .attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String region = sqs.serviceClientConfiguration().region().id();
        SqsEventSourceMapping mapping = new SqsEventSourceMapping(sqs, settings, queueArn, region);
        for (int i = 1; i <= settings.concurrency(); i++) {
            RequestHandler<SQSEvent, SQSBatchResponse> function =
                    Objects.requireNonNull(factory.get(), "handler factory returned null");
            Thread poller = new Thread(() -> mapping.pollUntilStopped(function),
                    "sqs-" + settings.functionName() + "-" + i);
            poller.setDaemon(true);
            mapping.pollers.add(poller);
        }
        mapping.pollers.forEach(Thread::start);
        return mapping;
    }

    public String queueArn() {
        return queueArn;
    }

    public SqsEventSourceSettings settings() {
        return settings;
    }

    public Counts counts() {
        return new Counts(invocations.get(), succeeded.get(), failed.get(), invocationErrors.get());
    }

    private void pollUntilStopped(RequestHandler<SQSEvent, SQSBatchResponse> function) {
        while (stopping.getCount() > 0) {
            List<Message> batch;
            try {
                batch = receive();
            } catch (SdkException e) {
                if (stopping.getCount() > 0) {
                    System.err.println("[sqs " + settings.functionName() + "] receive failed: " + e.getMessage());
                    awaitStopping(RECEIVE_ERROR_BACKOFF);
                }
                continue;
            }
            if (!batch.isEmpty()) {
                deleteSucceeded(batch, invoke(function, batch));
            }
        }
    }

    private List<Message> receive() {
        return sqs.receiveMessage(request -> request.queueUrl(settings.queueUrl())
                        .maxNumberOfMessages(settings.batchSize())
                        .visibilityTimeout((int) settings.visibilityTimeout().toSeconds())
                        .waitTimeSeconds((int) settings.longPollWait().toSeconds())
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                        .messageAttributeNames("All"))
                .messages();
    }

    /** The ids of the messages that failed: all of them when the invocation failed as a whole. */
    private Set<String> invoke(RequestHandler<SQSEvent, SQSBatchResponse> function, List<Message> batch) {
        invocations.incrementAndGet();
        Set<String> all = new HashSet<>(batch.stream().map(Message::messageId).toList());
        SQSBatchResponse response;
        try {
            response = function.handleRequest(SqsEvents.of(batch, queueArn, region), new LocalLambdaContext(
                    settings.functionName(), UUID.randomUUID().toString(), settings.visibilityTimeout(), MEMORY_MB));
        } catch (RuntimeException | Error e) {
            invocationErrors.incrementAndGet();
            System.err.println("[sqs " + settings.functionName() + "] invocation failed, " + batch.size()
                    + " message(s) will be retried: " + e);
            return all;
        }
        if (response == null || response.getBatchItemFailures() == null) {
            return Set.of();
        }
        Set<String> failedIds = new HashSet<>();
        for (SQSBatchResponse.BatchItemFailure failure : response.getBatchItemFailures()) {
            String id = failure == null ? null : failure.getItemIdentifier();
            if (id == null || !all.contains(id)) {
                // Lambda treats a response naming no message of the batch as a failure of the whole batch.
                invocationErrors.incrementAndGet();
                System.err.println("[sqs " + settings.functionName() + "] batchItemFailures names an unknown"
                        + " message id; the whole batch will be retried");
                return all;
            }
            failedIds.add(id);
        }
        return failedIds;
    }

    private void deleteSucceeded(List<Message> batch, Set<String> failedIds) {
        List<DeleteMessageBatchRequestEntry> deletions = batch.stream()
                .filter(message -> !failedIds.contains(message.messageId()))
                .map(message -> DeleteMessageBatchRequestEntry.builder()
                        .id(message.messageId())
                        .receiptHandle(message.receiptHandle())
                        .build())
                .toList();
        failed.addAndGet(failedIds.size());
        if (deletions.isEmpty()) {
            return;
        }
        try {
            var result = sqs.deleteMessageBatch(request -> request.queueUrl(settings.queueUrl()).entries(deletions));
            succeeded.addAndGet(result.successful().size());
            result.failed().forEach(entry -> System.err.println("[sqs " + settings.functionName()
                    + "] delete failed for message " + entry.id() + ": " + entry.message()));
        } catch (SdkException e) {
            // The messages reappear and run again: the at-least-once delivery functions must tolerate anyway.
            System.err.println("[sqs " + settings.functionName() + "] delete failed: " + e.getMessage());
        }
    }

    private void awaitStopping(Duration timeout) {
        try {
            stopping.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops polling: pollers finish the batch in hand (its deletes included) and the receive in progress,
     * which lasts at most the long-poll wait. Messages received by then but not processed reappear.
     */
    @Override
    public void close() {
        stopping.countDown();
        long waitMillis = settings.longPollWait().plus(settings.visibilityTimeout()).toMillis();
        for (Thread poller : pollers) {
            try {
                poller.join(waitMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
