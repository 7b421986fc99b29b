package dev.huddle.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Sends learner progress and analytics events to huddle-ingest in batches, from a durable on-disk queue.
 *
 * <p>{@code track*} stores the event on disk and returns; a daemon thread flushes each queue at an
 * adaptive interval (1–8 s by default) with at most one request in flight per queue. Events leave the
 * queue only on the server's verdict on each of them (accepted, duplicate or rejected, in a 200 that accounts
 * for the whole batch, or a 400, 413 or 415 with the API's error); rejected ones are reported to
 * {@link Builder#onRejected}. Every other answer keeps the events: they are retried with the same event ids
 * after a jittered backoff, each attempt is reported to {@link Builder#onError}, and a 403 or 404 that
 * persists pauses the queue (README, "Client library"). One client per queue directory (an OS file lock).
 * Thread-safe.
 *
 * <p>Over 300 lines: this is the library's whole public surface (the builder's options with their documentation,
 * {@code track*}, flush, close, stats) in one place for its users; queueing, sending and reading answers live in
 * their own classes.
 */
public final class HuddleClient implements AutoCloseable {
    static final int BACKLOG_WARNING_DEPTH = 50;
    static final Duration DEFAULT_CLOSE_DEADLINE = Duration.ofSeconds(5);
    static final Duration DEFAULT_PAUSE_PERIOD = Duration.ofMinutes(5);
    private static final System.Logger LOG = System.getLogger(HuddleClient.class.getName());

    private final Map<QueueName, QueueSender> senders = new EnumMap<>(QueueName.class);
    private final AdaptiveInterval interval;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Consumer<QueueStats> onBacklogWarning;
    private final Consumer<List<RejectedEvent>> onRejected;
    private final Consumer<DeliveryError> onError;
    private final FolderLock lock;
    private boolean backlogWarned;
    private volatile boolean closed;

    private HuddleClient(Builder builder) {
        this.clock = builder.clock;
        this.onBacklogWarning = builder.onBacklogWarning;
        this.onRejected = builder.onRejected;
        this.onError = builder.onError;
        this.lock = FolderLock.acquire(builder.queueDirectory);
        this.interval = new AdaptiveInterval(builder.minInterval, builder.maxInterval);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "huddle-client-flush");
            thread.setDaemon(true);
            return thread;
        });
        BatchTransport transport = new BatchTransport(builder.baseUrl,
                builder.httpClient != null ? builder.httpClient
                        : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
                builder.tokenSupplier);
        // Retries start at the minimum interval and double up to twice the maximum.
        Backoff backoff = new Backoff(builder.minInterval, builder.maxInterval.multipliedBy(2),
                bound -> ThreadLocalRandom.current().nextLong(bound));
        try {
            for (QueueName name : QueueName.values()) {
                DiskQueue queue = DiskQueue.open(builder.queueDirectory.resolve(name.directoryName()),
                        builder.maxQueuedEvents, builder.fsyncEachEvent, clock);
                senders.put(name, new QueueSender(name, queue, BatchCutter.contractLimits(), transport::send,
                        interval, backoff, clock, scheduler, this::totalDepth, this::reportRejected,
                        this::reportError, builder.pausePeriod, this::checkBacklog));
            }
        } catch (RuntimeException e) {
            senders.values().forEach(sender -> sender.queue().close());
            scheduler.shutdownNow();
            lock.close();
            throw e;
        }
        senders.values().forEach(QueueSender::start);
    }

    /** A builder for a client of the API at {@code baseUrl} (e.g. {@code https://api.example.com}). */
    public static Builder builder(URI baseUrl) {
        return new Builder(baseUrl);
    }

    /**
     * Queues a progress event durably. Returns false, storing nothing, when the progress queue already
     * holds {@code maxQueuedEvents} (the server has been unreachable for long): the caller decides.
     *
     * @throws IllegalStateException after {@link #close}
     * @throws java.io.UncheckedIOException when the queue cannot be written
     */
    public boolean trackProgress(ProgressEvent event) {
        Objects.requireNonNull(event, "event == null");
        return track(QueueName.PROGRESS, event.eventId(), EventCodec.toJson(event));
    }

    /** As {@link #trackProgress}, for the analytics queue. */
    public boolean trackAnalytics(AnalyticsEvent event) {
        Objects.requireNonNull(event, "event == null");
        return track(QueueName.ANALYTICS, event.eventId(), EventCodec.toJson(event));
    }

    public QueueStats getQueueStats() {
        QueueSender progress = senders.get(QueueName.PROGRESS);
        QueueSender analytics = senders.get(QueueName.ANALYTICS);
        Instant now = clock.instant();
        Duration oldestAge = senders.values().stream()
                .map(sender -> sender.queue().oldestEnqueuedAt())
                .flatMap(Optional::stream)
                .min(Instant::compareTo)
                .map(oldest -> Duration.between(oldest, now))
                .filter(age -> !age.isNegative())
                .orElse(Duration.ZERO);
        DeliveryError lastError = senders.values().stream()
                .flatMap(sender -> sender.stall().lastError().stream())
                .max(Comparator.comparing(DeliveryError::at)).orElse(null);
        Instant stalledSince = senders.values().stream()
                .flatMap(sender -> sender.stall().stalledSince().stream()).min(Instant::compareTo).orElse(null);
        Instant pausedUntil = senders.values().stream()
                .flatMap(sender -> sender.stall().pausedAt(now).stream()).max(Instant::compareTo).orElse(null);
        int damaged = senders.values().stream().mapToInt(sender -> sender.queue().damagedRegionsSkipped()).sum();
        return new QueueStats(progress.depth(), analytics.depth(), progress.inFlightEvents(),
                analytics.inFlightEvents(), oldestAge, interval.lastLatency(), interval.current(), lastError,
                stalledSince, pausedUntil, damaged);
    }

    /**
     * Sends what both queues hold now, batch after batch, joining a request already in flight. Completes when
     * every event queued before the call got a verdict, or when a request of this round got none (the periodic
     * flushes then retry it) or a queue is paused (it sends nothing until its pause ends).
     */
    public CompletableFuture<Void> flush() {
        return CompletableFuture.allOf(senders.values().stream().map(QueueSender::flush)
                .toArray(CompletableFuture[]::new));
    }

    /**
     * Stops the periodic flushes and sends what is queued, retrying failures, until both queues are empty or
     * the deadline passes; then stops. Whatever was not answered for stays on disk for the next run.
     *
     * @return true when both queues were drained
     */
    public boolean close(Duration deadline) {
        synchronized (this) {
            if (closed) {
                return totalDepth() == 0;
            }
            closed = true;
        }
        senders.values().forEach(QueueSender::stop);
        long end = System.nanoTime() + deadline.toNanos();
        try {
            drainUntil(end);
        } finally {
            scheduler.shutdownNow();
            senders.values().forEach(sender -> sender.queue().close());
            lock.close();
        }
        return totalDepth() == 0;
    }

    /** {@link #close(Duration)} with a 5-second deadline. */
    @Override
    public void close() {
        close(DEFAULT_CLOSE_DEADLINE);
    }

    private void drainUntil(long endNanos) {
        while (totalDepth() > 0) {
            long remaining = endNanos - System.nanoTime();
            if (remaining <= 0) {
                return;
            }
            try {
                flush().get(remaining, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return;
            } catch (ExecutionException e) {
                // A failed round: wait below, then try again.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (totalDepth() > 0) {
                long retryNanos = senders.values().stream().filter(sender -> sender.depth() > 0)
                        .map(QueueSender::nextDelay).max(Duration::compareTo).orElse(Duration.ZERO).toNanos();
                LockSupport.parkNanos(Math.min(retryNanos, endNanos - System.nanoTime()));
            }
        }
    }

    private boolean track(QueueName queue, String eventId, byte[] json) {
        if (closed) {
            throw new IllegalStateException("client is closed");
        }
        boolean stored = senders.get(queue).append(eventId, json);
        if (stored) {
            checkBacklog();
        }
        return stored;
    }

    private int totalDepth() {
        return senders.values().stream().mapToInt(QueueSender::depth).sum();
    }

    /** Warns once each time the backlog goes above {@link #BACKLOG_WARNING_DEPTH}; re-arms when it is back. */
    private void checkBacklog() {
        boolean warn;
        synchronized (this) {
            int depth = totalDepth();
            warn = depth > BACKLOG_WARNING_DEPTH && !backlogWarned;
            backlogWarned = depth > BACKLOG_WARNING_DEPTH;
        }
        if (warn) {
            QueueStats stats = getQueueStats();
            runCallback(() -> onBacklogWarning.accept(stats));
        }
    }

    private void reportRejected(List<RejectedEvent> rejected) {
        runCallback(() -> onRejected.accept(rejected));
    }

    private void reportError(DeliveryError error) {
        runCallback(() -> onError.accept(error));
    }

    /**
     * The default {@code onError}: a WARNING on the first attempt without a verdict, on the 2nd, 4th, 8th, ...
     * (lines thin out as an outage lasts) and whenever the queue pauses; DEBUG otherwise.
     */
    static void log(DeliveryError error) {
        int failures = error.consecutiveFailures();
        boolean notable = error.paused() || Integer.bitCount(failures) == 1;
        LOG.log(notable ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG, error.toString());
    }

    /** Callbacks run on the flush thread, never inside the client's locks; their exceptions are contained. */
    private void runCallback(Runnable callback) {
        Runnable contained = () -> {
            try {
                callback.run();
            } catch (RuntimeException ignored) {
                // A failing callback must not stop the flushes.
            }
        };
        try {
            scheduler.execute(contained);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            contained.run();
        }
    }

    /** Configures a {@link HuddleClient}; {@link #tokenSupplier} and {@link #queueDirectory} are required. */
    public static final class Builder {
        private final URI baseUrl;
        private Supplier<String> tokenSupplier;
        private Path queueDirectory;
        private int maxQueuedEvents = 10_000;
        private Duration minInterval = Duration.ofSeconds(1);
        private Duration maxInterval = Duration.ofSeconds(8);
        private HttpClient httpClient;
        private Clock clock = Clock.systemUTC();
        private boolean fsyncEachEvent = true;
        private Consumer<List<RejectedEvent>> onRejected = rejected -> { };
        private Consumer<QueueStats> onBacklogWarning = stats -> { };
        private Consumer<DeliveryError> onError = HuddleClient::log;
        private Duration pausePeriod = DEFAULT_PAUSE_PERIOD;

        private Builder(URI baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl == null");
        }

        /** Called for every request, so a refreshed token is picked up. */
        public Builder tokenSupplier(Supplier<String> tokenSupplier) {
            this.tokenSupplier = Objects.requireNonNull(tokenSupplier, "tokenSupplier == null");
            return this;
        }

        /**
         * Where the queues live (one folder per queue). One client per directory at a time: {@link #build}
         * locks it (a file {@code lock} in it) and fails with {@link IllegalStateException} when another
         * client, in this process or another, holds it.
         */
        public Builder queueDirectory(Path queueDirectory) {
            this.queueDirectory = Objects.requireNonNull(queueDirectory, "queueDirectory == null");
            return this;
        }

        /** Per queue; default 10,000. When a queue is full, {@code track*} returns false. */
        public Builder maxQueuedEvents(int maxQueuedEvents) {
            if (maxQueuedEvents < 1) {
                throw new IllegalArgumentException("maxQueuedEvents < 1: " + maxQueuedEvents);
            }
            this.maxQueuedEvents = maxQueuedEvents;
            return this;
        }

        public Builder minInterval(Duration minInterval) {
            this.minInterval = Objects.requireNonNull(minInterval, "minInterval == null");
            return this;
        }

        public Builder maxInterval(Duration maxInterval) {
            this.maxInterval = Objects.requireNonNull(maxInterval, "maxInterval == null");
            return this;
        }

        /** Optional: share one HTTP client among many clients. */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient == null");
            return this;
        }

        /** Optional: the clock of enqueue times and {@code Retry-After} holds. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock == null");
            return this;
        }

        /**
         * Default true: each event is forced to the device before {@code track*} returns (survives power loss).
         * False: it is in the OS page cache (survives the process being killed, not a machine crash), for
         * high event rates such as a load generator.
         */
        public Builder fsyncEachEvent(boolean fsyncEachEvent) {
            this.fsyncEachEvent = fsyncEachEvent;
            return this;
        }

        /** Events the server refused for good; called on the client's flush thread. */
        public Builder onRejected(Consumer<List<RejectedEvent>> onRejected) {
            this.onRejected = Objects.requireNonNull(onRejected, "onRejected == null");
            return this;
        }

        /**
         * Each attempt whose events were kept (no verdict on them: a 5xx, 429, 401, 403, 404, a 200 that does
         * not account for the batch, a network error); on the flush thread. Default: a log line through
         * {@link System.Logger} ({@code dev.huddle.client.HuddleClient}), WARNING on the 1st, 2nd, 4th, ...
         * attempt in a row and when the queue pauses.
         */
        public Builder onError(Consumer<DeliveryError> onError) {
            this.onError = Objects.requireNonNull(onError, "onError == null");
            return this;
        }

        /**
         * How long a queue sends nothing after 403 or 404 answered three attempts in a row (default 5 minutes);
         * then one batch probes, and a verdict on it resumes the queue.
         */
        public Builder pausePeriod(Duration pausePeriod) {
            Objects.requireNonNull(pausePeriod, "pausePeriod == null");
            if (pausePeriod.isNegative() || pausePeriod.isZero()) {
                throw new IllegalArgumentException("pausePeriod must be positive: " + pausePeriod);
            }
            this.pausePeriod = pausePeriod;
            return this;
        }

        /** Called once each time the backlog (both queues) goes above 50 events; on the flush thread. */
        public Builder onBacklogWarning(Consumer<QueueStats> onBacklogWarning) {
            this.onBacklogWarning = Objects.requireNonNull(onBacklogWarning, "onBacklogWarning == null");
            return this;
        }

        /**
         * Locks the queue directory, opens the queues (loading what an earlier run left) and starts the flush
         * scheduler.
         *
         * @throws IllegalStateException when another client holds the queue directory
         */
        public HuddleClient build() {
            Objects.requireNonNull(tokenSupplier, "tokenSupplier == null");
            Objects.requireNonNull(queueDirectory, "queueDirectory == null");
            new AdaptiveInterval(minInterval, maxInterval); // validates the range before anything opens
            return new HuddleClient(this);
        }
    }
}
