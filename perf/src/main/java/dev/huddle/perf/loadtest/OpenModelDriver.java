package dev.huddle.perf.loadtest;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * Sends a {@link LoadPlan} in the open model: one thread issues every request at its planned time, whatever
 * the server does, and each latency counts from that intended time, so a server that stalls cannot hide
 * the queueing it causes (no coordinated omission).
 *
 * <p>A 429 or 5xx answer, or no answer at all, is retried with the same body (same event ids) after the
 * answer's {@code Retry-After} or a jittered exponential backoff, whichever is longer (as the client library
 * does: random in [d/2, d], d doubling from 1 s up to 32 s), so that back-pressure and outages are not
 * counted as loss and a shed request does not come back at once; each retry is one more attempt with its
 * own latency. A request still without a 200 when the drain deadline passes counts as not delivered.
 *
 * <p>Its learners behave as the client library does under back-pressure: a learner's queue (one per route)
 * sends no new batch while its last one waits out a backoff. A planned request that comes due then joins
 * that waiting retry (its events appended to the retry's body, up to the contract's 100 events a batch), so
 * a shed learner comes back with one bigger batch instead of a new request per flush. Without this every
 * flush of a backed-off learner opened a retry chain of its own: a minute at twice the capacity made 1.5 to
 * 3.4 retries for each planned request, which took the cores that shedding was meant to save
 * (docs/PERFORMANCE.md, "Issue 9's shed answers: the front above the functions, learners that join their
 * retry, and Nagle").
 *
 * <p>It cannot fall over (issue 9): at most {@code maxInFlight} requests are in flight, which also caps its
 * connections (HTTP/1.1: one request per connection at a time, plus the client's idle pool). A planned
 * request that finds no free slot, or whose time passed more than {@link #LATE_LIMIT} ago (the generator
 * fell behind), is not sent: it counts as dropped by the generator, like a k6 iteration dropped at
 * maxVUs, and never as lost. A retry that finds no free slot waits for its next backoff.
 *
 * <p>Several plans can run back to back on one clock (a warm-up's parts, then the measured run): the next
 * starts when the previous one's time is up, without waiting for its answers, and the learners keep their
 * queues and backoffs across the boundary, as real clients would. A plan that starts after a drain instead
 * begins with every learner's queue empty: for its first seconds each planned request is a new attempt
 * (at {@code --rate 2000} about 3,500 answers a second against 2,000-2,200 later), a step from idle that a
 * warm-up is there to leave behind (docs/PERFORMANCE.md, "One CPU group"). Each plan keeps its own
 * figures: its planned requests' events wherever they travel (a batch that joined a waiting retry of the
 * plan before is counted by its event ids), and the attempts sent while it runs (a retry of an earlier
 * plan's batch included; those after the last plan's end go to the last).
 *
 * <p>Over 300 lines on purpose: the schedule, the retry rule and the in-flight cap are one mechanism sharing
 * the state of a {@code Run}; split apart, each piece would need the others' internals.
 */
final class OpenModelDriver {
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    /** The default cap of requests in flight (and so of connections). */
    static final int DEFAULT_MAX_IN_FLIGHT = 512;
    /** A planned request this late is dropped rather than sent in a burst with its latecomers. */
    static final Duration LATE_LIMIT = Duration.ofMillis(200);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration LAST_BACKOFF = Duration.ofSeconds(32);
    private static final String QUEUE_LAG_HEADER = "X-Client-Queue-Lag";
    /** openapi.yaml's events per batch; a waiting retry takes no more planned events than this. */
    static final int MAX_BATCH_EVENTS = 100;

    private final HttpClient http;
    /** Each route's URL, resolved once rather than per attempt. */
    private final Map<LoadRoute, URI> routeUrls = new EnumMap<>(LoadRoute.class);
    private final LearnerTokens tokens;
    private final PrintStream progress;
    private final Semaphore inFlight;
    private final int maxInFlight;

    OpenModelDriver(HttpClient http, URI baseUrl, LearnerTokens tokens, int maxInFlight, PrintStream progress) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1: " + maxInFlight);
        }
        this.inFlight = new Semaphore(maxInFlight);
        this.maxInFlight = maxInFlight;
        this.http = http;
        for (LoadRoute route : LoadRoute.values()) {
            routeUrls.put(route, baseUrl.resolve(route.path));
        }
        this.tokens = tokens;
        this.progress = progress;
    }

    /** Runs the plan, then waits up to {@code drainTimeout} for answers and retries; returns the figures. */
    LatencyRecorder.Summary run(LoadPlan plan, List<TimedAction> actions, Duration drainTimeout)
            throws InterruptedException {
        return run(List.of(plan), actions, drainTimeout).get(0);
    }

    /**
     * Runs the plans back to back, then waits up to {@code drainTimeout} for answers and retries; returns each
     * plan's figures, in order. The actions are timed from the first plan's start.
     */
    List<LatencyRecorder.Summary> run(List<LoadPlan> plans, List<TimedAction> actions, Duration drainTimeout)
            throws InterruptedException {
        Run run = new Run(plans);
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(runnable ->
                Thread.ofPlatform().daemon().name("loadtest-timers").unstarted(runnable));
        try {
            for (TimedAction action : actions) {
                timers.schedule(() -> {
                    progress.printf("  %5.1fs  %s%n", (System.nanoTime() - run.start) / 1e9, action.label());
                    action.action().run();
                }, run.start + action.at().toNanos() - System.nanoTime(), TimeUnit.NANOSECONDS);
            }
            timers.scheduleAtFixedRate(run::printProgress, PROGRESS_EVERY.toNanos(), PROGRESS_EVERY.toNanos(),
                    TimeUnit.NANOSECONDS);
            run.sendAll(timers);
            run.awaitAnswers(drainTimeout);
        } finally {
            timers.shutdownNow();
        }
        run.giveUpOnUnanswered();
        return Arrays.stream(run.recorders).map(LatencyRecorder::summary).toList();
    }

    /**
     * One learner queue's batch until it has its 200 (or is given up): retries keep the same events, and while
     * it waits for a retry, planned requests of the same learner and route join it ({@link #join}).
     */
    private static final class Delivery {
        final LoadPlan.PlannedRequest first;
        /** The plan of the first request; requests of later plans may join it at a boundary. */
        final int firstPlan;
        private int lastPlan;
        private final AtomicBoolean finished = new AtomicBoolean();
        private final AtomicInteger attempts = new AtomicInteger();
        /**
         * The first body, then each joined one: the plan's own arrays, promoted before the clock started. They
         * are spliced into one body for each attempt, which is garbage once sent. Kept between attempts instead,
         * the spliced bodies of the ~7,500 deliveries waiting out a backoff of up to 32 s survived young
         * collections and were promoted: the generator's heap after its collections grew from 238 to 374 MB
         * in 90 s (docs/PERFORMANCE.md, "One CPU group").
         */
        private final List<byte[]> bodies = new ArrayList<>(1);
        private int events;
        private boolean waitingForRetry;

        Delivery(LoadPlan.PlannedRequest first, int plan) {
            this.first = first;
            this.firstPlan = plan;
            this.lastPlan = plan;
            this.bodies.add(first.body());
            this.events = first.events();
        }

        LearnerQueue queue() {
            return LearnerQueue.of(first);
        }

        boolean finish() {
            return finished.compareAndSet(false, true);
        }

        synchronized byte[] body() {
            return BatchBodies.join(bodies);
        }

        synchronized void waitForRetry() {
            waitingForRetry = true;
        }

        /** Ends the wait; from here on the body is what is sent, and nothing more joins it. */
        synchronized byte[] takeForRetry() {
            waitingForRetry = false;
            return body();
        }

        /** Adds a planned request's events while this waits for its retry and stays within a batch. */
        synchronized boolean join(LoadPlan.PlannedRequest request, int plan) {
            if (!waitingForRetry || events + request.events() > MAX_BATCH_EVENTS) {
                return false;
            }
            bodies.add(request.body());
            events += request.events();
            lastPlan = plan;
            return true;
        }

        synchronized int lastPlan() {
            return lastPlan;
        }
    }

    /** A learner's queue: one per learner and route. */
    private record LearnerQueue(int learner, LoadRoute route) {
        static LearnerQueue of(LoadPlan.PlannedRequest request) {
            return new LearnerQueue(request.learner().number(), request.route());
        }
    }

    private final class Run {
        final long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        private final List<LoadPlan> plans;
        /** Each plan's figures, and the {@link System#nanoTime()} it starts at; the last plan ends at {@code end}. */
        final LatencyRecorder[] recorders;
        private final long[] planStarts;
        private final long end;
        private final Set<Delivery> unanswered = ConcurrentHashMap.newKeySet();
        /** The delivery each learner queue is backing off with, if any. */
        private final Map<LearnerQueue, Delivery> backingOff = new ConcurrentHashMap<>();
        private final Object drained = new Object();
        private volatile boolean over;
        private long lastProgress = start;

        Run(List<LoadPlan> plans) {
            if (plans.isEmpty()) {
                throw new IllegalArgumentException("no plan to run");
            }
            this.plans = List.copyOf(plans);
            this.recorders = new LatencyRecorder[plans.size()];
            this.planStarts = new long[plans.size()];
            long at = start;
            for (int plan = 0; plan < plans.size(); plan++) {
                recorders[plan] = new LatencyRecorder();
                planStarts[plan] = at;
                at += plans.get(plan).duration().toNanos();
            }
            this.end = at;
        }

        /** The plan running at {@code nanoTime}; after the last one's end, the last. */
        private int planAt(long nanoTime) {
            int plan = 0;
            while (plan + 1 < planStarts.length && nanoTime - planStarts[plan + 1] >= 0) {
                plan++;
            }
            return plan;
        }

        /** The plan whose event id prefix {@code eventId} has (the longest, should one contain another), or -1. */
        private int planOf(String eventId) {
            int found = -1;
            for (int plan = 0; plan < plans.size(); plan++) {
                String prefix = plans.get(plan).eventIdPrefix();
                if (eventId.startsWith(prefix)
                        && (found < 0 || prefix.length() > plans.get(found).eventIdPrefix().length())) {
                    found = plan;
                }
            }
            return found;
        }

        void sendAll(ScheduledExecutorService timers) {
            long lateLimit = LATE_LIMIT.toNanos();
            for (int plan = 0; plan < plans.size(); plan++) {
                LatencyRecorder recorder = recorders[plan];
                for (LoadPlan.PlannedRequest request : plans.get(plan).requests()) {
                    long intended = planStarts[plan] + request.atNanos();
                    parkUntil(intended);
                    Delivery waiting = backingOff.get(LearnerQueue.of(request));
                    if (waiting != null && waiting.join(request, plan)) {
                        recorder.joinedRetry(request.events());
                        continue;
                    }
                    if (System.nanoTime() - intended > lateLimit || !inFlight.tryAcquire()) {
                        recorder.dropped(request.events());
                        continue;
                    }
                    Delivery delivery = new Delivery(request, plan);
                    unanswered.add(delivery);
                    send(delivery, delivery.body(), intended, plan, timers);
                }
            }
        }

        /**
         * Sends one attempt, counted in {@code plan}'s figures; the caller holds an in-flight slot, released
         * when the answer (or failure) is in.
         */
        private void send(Delivery delivery, byte[] body, long intended, int plan, ScheduledExecutorService timers) {
            LoadPlan.PlannedRequest request = delivery.first;
            delivery.attempts.incrementAndGet();
            HttpRequest httpRequest = HttpRequest.newBuilder(routeUrls.get(request.route()))
                    .timeout(REQUEST_TIMEOUT)
                    .header("Authorization", "Bearer " + tokens.of(request.learner()))
                    .header("Content-Type", "application/json")
                    .POST(BodyPublishers.ofByteArray(body))
                    .build();
            http.sendAsync(httpRequest, BodyHandlers.ofByteArray())
                    .whenComplete((response, failure) -> {
                        inFlight.release();
                        if (failure != null) {
                            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                            recorders[plan].failure(failureKind(cause));
                        }
                        answered(delivery, intended, plan, response, timers);
                    });
        }

        private void answered(Delivery delivery, long intended, int plan, HttpResponse<byte[]> response,
                ScheduledExecutorService timers) {
            LatencyRecorder recorder = recorders[plan];
            long now = System.nanoTime();
            long second = Math.max(0, (intended - planStarts[plan]) / 1_000_000_000L);
            if (response == null) {
                recorder.answer(second, now - intended, LatencyRecorder.STATUS_OTHER);
                retryLater(delivery, Duration.ZERO, timers);
                return;
            }
            int status = response.statusCode();
            recorder.answer(second, now - intended, Integer.toString(status));
            if (status == 200 && now - end < 0) {
                recorders[planAt(now)].admittedWhilePlanRan();
            }
            if (status == 200) {
                response.headers().firstValueAsLong(QUEUE_LAG_HEADER).ifPresent(recorder::queueLag);
                recorder.handlerTimings(HandlerTimings.micros(response.headers().firstValue(HandlerTimings.HEADER)));
                countOutcomes(delivery, response.body());
            } else if (status == 429 || status >= 500) {
                retryLater(delivery, retryAfter(response), timers);
            } else {
                // A permanent refusal of a generated request: a bug in the generator, shown as not delivered.
                finish(delivery, true);
            }
        }

        /** A 200's outcomes, in the figures of the plans whose events the batch carried. */
        private void countOutcomes(Delivery delivery, byte[] body) {
            try {
                int first = delivery.firstPlan;
                int last = delivery.lastPlan();
                List<AnswerCounts> answer = first == last ? List.of(AnswerCounts.read(body))
                        : AnswerCounts.byPlan(body, this::planOf, plans.size()).subList(first, last + 1);
                if (delivery.finish()) {
                    for (int plan = first; plan <= last; plan++) {
                        AnswerCounts counts = answer.get(plan - first);
                        // A delivery is one request: it counts as retried and delivered once, in its first plan.
                        recorders[plan].outcomes(counts.accepted(), counts.duplicates(), counts.rejected(),
                                plan == first && delivery.attempts.get() > 1);
                    }
                    done(delivery);
                }
            } catch (IOException e) {
                finish(delivery, true);
            }
        }

        private void retryLater(Delivery delivery, Duration retryAfter, ScheduledExecutorService timers) {
            if (over) {
                return;
            }
            long delay = Math.max(retryAfter.toNanos(), backoffNanos(delivery.attempts.get()));
            delivery.waitForRetry();
            backingOff.put(delivery.queue(), delivery);
            timers.schedule(() -> {
                if (over) {
                    return;
                }
                if (inFlight.tryAcquire()) {
                    backingOff.remove(delivery.queue(), delivery);
                    long now = System.nanoTime();
                    int plan = planAt(now);
                    recorders[plan].retry();
                    send(delivery, delivery.takeForRetry(), now, plan, timers);
                } else {
                    retryLater(delivery, Duration.ZERO, timers);
                }
            }, delay, TimeUnit.NANOSECONDS);
        }

        private void finish(Delivery delivery, boolean lost) {
            if (delivery.finish()) {
                if (lost) {
                    List<String> eventIds = BatchBodies.eventIds(delivery.body());
                    if (delivery.firstPlan == delivery.lastPlan()) {
                        recorders[delivery.firstPlan].gaveUp(eventIds);
                    } else {
                        eventIds.stream().collect(Collectors.groupingBy(this::planOf))
                                .forEach((plan, ids) -> recorders[plan].gaveUp(ids));
                    }
                }
                done(delivery);
            }
        }

        private void done(Delivery delivery) {
            unanswered.remove(delivery);
            if (unanswered.isEmpty()) {
                synchronized (drained) {
                    drained.notifyAll();
                }
            }
        }

        void awaitAnswers(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (drained) {
                long left;
                while (!unanswered.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.timedWait(drained, left);
                }
            }
            over = true;
        }

        void giveUpOnUnanswered() {
            unanswered.forEach(delivery -> finish(delivery, true));
        }

        /** Answers of every plan; the percentile, statuses and drops of the plan running now. */
        void printProgress() {
            long now = System.nanoTime();
            int current = planAt(now);
            long answers = 0;
            LatencyRecorder.Peek peek = null;
            for (int plan = 0; plan < recorders.length; plan++) {
                LatencyRecorder.Peek planPeek = recorders[plan].peek();
                answers += planPeek.answers();
                if (plan == current) {
                    peek = planPeek;
                }
            }
            double window = (now - lastProgress) / 1e9;
            lastProgress = now;
            progress.printf("  %5.1fs  %6.0f answers/s  p95 so far %7.1f ms  %s  waiting %d  in flight %d  dropped %d%n",
                    (now - start) / 1e9, answers / window, peek.p95Millis(), statusText(peek.statuses()),
                    unanswered.size(), maxInFlight - inFlight.availablePermits(), peek.dropped());
        }
    }

    static String statusText(Map<String, Long> statuses) {
        return statuses.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }

    private static Duration retryAfter(HttpResponse<?> response) {
        OptionalLong seconds = response.headers().firstValueAsLong("Retry-After");
        return Duration.ofSeconds(seconds.isPresent() ? Math.max(0, Math.min(seconds.getAsLong(), 60)) : 0);
    }

    /** The exception's class and the start of its message ("IOException: Connection reset"). */
    static String failureKind(Throwable failure) {
        String message = failure.getMessage();
        if (message == null || message.isBlank()) {
            return failure.getClass().getSimpleName();
        }
        String first = message.strip().split("\n", 2)[0];
        return failure.getClass().getSimpleName() + ": " + (first.length() > 60 ? first.substring(0, 60) : first);
    }

    /** Random in [d/2, d], d doubling per attempt from 1 s up to 32 s. */
    static long backoffNanos(int attempts) {
        long ceiling = Math.min(LAST_BACKOFF.toNanos(), FIRST_BACKOFF.toNanos() << Math.min(Math.max(0, attempts - 1), 10));
        return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }

    private static void parkUntil(long nanoTime) {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}
