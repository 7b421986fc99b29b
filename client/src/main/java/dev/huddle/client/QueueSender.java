package dev.huddle.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Sends one queue: at most one request in flight, a batch from the queue's head at each tick of the
 * adaptive interval, jittered backoff after a failure, and events removed only on a verdict on each of them
 * ({@link BatchResult#answeredForEvents()}). Every attempt without one is reported to {@code onError}; a 403 or
 * 404 that persists pauses the queue ({@link StallWatch}). A flush that finds a request in flight joins it
 * instead of starting another.
 */
final class QueueSender {
    /** Sends a batch; the future never completes exceptionally. {@link BatchTransport} over HTTP. */
    interface Transport {
        CompletableFuture<BatchResult> send(QueueName queue, List<QueuedEvent> batch, int clientQueueDepth);
    }

    private static final CompletableFuture<Boolean> NOTHING_TO_SEND = CompletableFuture.completedFuture(true);
    private static final CompletableFuture<Boolean> PAUSED = CompletableFuture.completedFuture(false);

    private final QueueName name;
    private final DiskQueue queue;
    private final BatchCutter cutter;
    private final Transport transport;
    private final AdaptiveInterval interval;
    private final Backoff backoff;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final IntSupplier clientQueueDepth;
    private final Consumer<List<RejectedEvent>> onRejected;
    private final Consumer<DeliveryError> onError;
    private final Runnable afterAcknowledge;
    private final StallWatch stall;

    private CompletableFuture<Boolean> inFlight;
    private int inFlightEvents;
    /** Events ever appended and ever answered for, counted from this run's start: a flush waits for a count. */
    private long appended;
    private long answered;
    private boolean stopped;

    QueueSender(QueueName name, DiskQueue queue, BatchCutter cutter, Transport transport, AdaptiveInterval interval,
            Backoff backoff, Clock clock, ScheduledExecutorService scheduler, IntSupplier clientQueueDepth,
            Consumer<List<RejectedEvent>> onRejected, Consumer<DeliveryError> onError, Duration pausePeriod,
            Runnable afterAcknowledge) {
        this.name = name;
        this.queue = queue;
        this.cutter = cutter;
        this.transport = transport;
        this.interval = interval;
        this.backoff = backoff;
        this.clock = clock;
        this.scheduler = scheduler;
        this.clientQueueDepth = clientQueueDepth;
        this.onRejected = onRejected;
        this.onError = onError;
        this.afterAcknowledge = afterAcknowledge;
        this.stall = new StallWatch(name, pausePeriod);
        this.appended = queue.depth();
    }

    /** Starts the periodic flushes: the first after one interval. */
    void start() {
        scheduleTick(interval.current());
    }

    /** No more periodic flushes (explicit flushes still work until the queue is closed). */
    synchronized void stop() {
        stopped = true;
    }

    boolean append(String eventId, byte[] json) {
        boolean stored = queue.append(eventId, json);
        if (stored) {
            synchronized (this) {
                appended++;
            }
        }
        return stored;
    }

    /**
     * Sends the next batch from the head, or joins the request in flight. Completes with true when the
     * server gave a verdict on the batch (or there was nothing to send), false when it must be retried or the
     * queue is paused. Waits for a {@code Retry-After} hold first: no request is ever sent before it.
     */
    synchronized CompletableFuture<Boolean> sendNextBatch() {
        if (inFlight != null) {
            return inFlight;
        }
        if (stall.pausedAt(clock.instant()).isPresent()) {
            return PAUSED;
        }
        List<QueuedEvent> head = queue.peek(cutter.maxEvents());
        List<QueuedEvent> batch = head.subList(0, cutter.cut(head));
        if (batch.isEmpty()) {
            return NOTHING_TO_SEND;
        }
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        inFlight = done;
        inFlightEvents = batch.size();
        Duration hold = Duration.between(clock.instant(), interval.notBefore());
        CompletableFuture<BatchResult> response = hold.isNegative() || hold.isZero()
                ? transport.send(name, batch, clientQueueDepth.getAsInt())
                : CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(hold.toMillis(),
                        TimeUnit.MILLISECONDS, scheduler)).thenCompose(ignored ->
                                transport.send(name, batch, clientQueueDepth.getAsInt()));
        response.whenComplete((result, error) -> {
            boolean answeredFor;
            try {
                answeredFor = settle(batch, error == null ? result : BatchResult.networkError(error));
            } catch (RuntimeException diskFailed) {
                // The batch stays on disk (or was already removed from it): at worst it is sent again.
                answeredFor = false;
            }
            synchronized (this) {
                inFlight = null;
                inFlightEvents = 0;
            }
            done.complete(answeredFor);
        });
        return done;
    }

    /** Sends until every event appended before this call was answered for, or a request fails. */
    CompletableFuture<Void> flush() {
        long target;
        synchronized (this) {
            target = appended;
        }
        return flushUntil(target);
    }

    private CompletableFuture<Void> flushUntil(long target) {
        synchronized (this) {
            if (answered >= target) {
                return CompletableFuture.completedFuture(null);
            }
        }
        return sendNextBatch().thenCompose(answeredFor -> answeredFor
                ? flushUntil(target) : CompletableFuture.completedFuture(null));
    }

    /**
     * Feeds the interval; on a verdict removes the batch from the queue and reports its rejections, otherwise
     * reports the error.
     */
    private boolean settle(List<QueuedEvent> batch, BatchResult result) {
        if (result.hadHttpAnswer()) {
            interval.onAnswer(result.latency(), result.queueLag(), result.retryAfter(), clock.instant());
        }
        if (!result.answeredForEvents()) {
            onError.accept(stall.onKept(result, clock.instant(), queue.depth()));
            return false;
        }
        stall.onVerdict();
        if (!queue.acknowledge(batch.size())) {
            return false;
        }
        synchronized (this) {
            answered += batch.size();
        }
        if (!result.rejected().isEmpty()) {
            onRejected.accept(result.rejected());
        }
        afterAcknowledge.run();
        return true;
    }

    /**
     * How long to wait before the next attempt: the interval after a verdict, backoff after a failure, the
     * rest of the pause while paused.
     */
    synchronized Duration nextDelay() {
        Instant now = clock.instant();
        Optional<Instant> pausedUntil = stall.pausedAt(now);
        if (pausedUntil.isPresent()) {
            return Duration.between(now, pausedUntil.get());
        }
        int failures = stall.failures();
        if (failures == 0) {
            return interval.nextDelay(now);
        }
        Duration retry = backoff.delay(failures);
        Duration untilAllowed = Duration.between(now, interval.notBefore());
        return untilAllowed.compareTo(retry) > 0 ? untilAllowed : retry;
    }

    private void tick() {
        sendNextBatch().whenComplete((answeredFor, error) -> scheduleTick(nextDelay()));
    }

    private synchronized void scheduleTick(Duration delay) {
        if (stopped) {
            return;
        }
        try {
            scheduler.schedule(this::tick, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shutDown) {
            stopped = true;
        }
    }

    int depth() {
        return queue.depth();
    }

    synchronized int inFlightEvents() {
        return inFlightEvents;
    }

    DiskQueue queue() {
        return queue;
    }

    StallWatch stall() {
        return stall;
    }
}
