package dev.huddle.devservers;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
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

/**
 * A local stand-in for Lambda's SQS event source mapping with {@code ReportBatchItemFailures}, for any
 * {@code RequestHandler<SQSEvent, SQSBatchResponse>} (the local stack's rollup worker, tests): pollers
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
 * Each poller owns one function instance, so handlers need not be thread-safe, as on Lambda. A test that
 * must know what each receive did runs the same rounds on its own thread instead:
 * {@link #onCallingThread} and {@link #pollUntilEmpty}.
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
    /** The function of a mapping without pollers ({@link #onCallingThread}); null when pollers run. */
    private final RequestHandler<SQSEvent, SQSBatchResponse> callingThreadFunction;

    private SqsEventSourceMapping(SqsClient sqs, SqsEventSourceSettings settings,
            RequestHandler<SQSEvent, SQSBatchResponse> callingThreadFunction) {
        this.sqs = sqs;
        this.settings = settings;
        this.queueArn = SqsQueues.arn(sqs, settings.queueUrl());
        this.region = sqs.serviceClientConfiguration().region().id();
        this.callingThreadFunction = callingThreadFunction;
    }

    /**
     * Starts {@code settings.concurrency()} pollers, each with a function instance from {@code factory}.
     * The caller keeps ownership of {@code sqs} (close it after this mapping).
     */
    public static SqsEventSourceMapping start(SqsClient sqs, SqsEventSourceSettings settings,
            Supplier<? extends RequestHandler<SQSEvent, SQSBatchResponse>> factory) {
        Objects.requireNonNull(factory, "factory == null");
        SqsEventSourceMapping mapping = new SqsEventSourceMapping(sqs, settings, null);
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

    /**
     * A mapping without pollers: the caller runs its rounds with {@link #pollUntilEmpty}, on its own thread,
     * so a test knows how many receives a job took. {@code settings.concurrency()} is not used.
     */
    public static SqsEventSourceMapping onCallingThread(SqsClient sqs, SqsEventSourceSettings settings,
            RequestHandler<SQSEvent, SQSBatchResponse> function) {
        return new SqsEventSourceMapping(sqs, settings, Objects.requireNonNull(function, "function == null"));
    }

    /**
     * Rounds of receive, invoke and settle on the calling thread until the queue holds no message at all
     * (visible, delayed or in flight); answers the rounds that received. While the queue holds messages but
     * none is visible (delayed, or failed and waiting out its visibility), a round long-polls for them for
     * up to {@code patience}: a single empty receive proves nothing on a busy machine, where a delayed
     * message turns visible a moment later.
     *
     * @throws IllegalStateException when the queue still holds messages after {@code maxRounds} rounds, or
     *     holds some that stay invisible for longer than {@code patience}
     */
    public int pollUntilEmpty(int maxRounds, Duration patience) {
        if (callingThreadFunction == null) {
            throw new IllegalStateException("this mapping's pollers receive; only a mapping made by onCallingThread"
                    + " polls on the calling thread");
        }
        for (int round = 0; round < maxRounds; round++) {
            if (pollOnce(callingThreadFunction, patience) == 0) {
                return round;
            }
        }
        throw new IllegalStateException("queue not empty after " + maxRounds + " rounds: " + settings.queueUrl());
    }

    /** One round: the messages received (0 only once the queue holds none). */
    private int pollOnce(RequestHandler<SQSEvent, SQSBatchResponse> function, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            List<Message> batch = receive();
            if (!batch.isEmpty()) {
                deleteSucceeded(batch, invoke(function, batch));
                return batch.size();
            }
            // Counted after the empty receive: a message that turned visible since then counts here.
            long held = SqsQueues.messagesHeld(sqs, settings.queueUrl());
            if (held == 0) {
                return 0;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(held + " message(s) held but none visible within " + patience
                        + ": " + settings.queueUrl());
            }
        }
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
