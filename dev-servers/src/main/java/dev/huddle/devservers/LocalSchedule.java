package dev.huddle.devservers;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.joda.time.DateTime;
import org.joda.time.DateTimeZone;

/**
 * A local stand-in for an EventBridge schedule rule targeting a Lambda function: every {@code every} (and
 * on demand through {@link #runNow()}) it builds the {@link ScheduledEvent} EventBridge sends and invokes
 * the function. Invocations never overlap (one function instance, one at a time): a run that outlasts the
 * interval delays the next one instead of running beside it, which is what a nightly maintenance job
 * wants. A failing run is logged and the schedule goes on, as EventBridge does after its retries.
 */
public final class LocalSchedule implements AutoCloseable {
    static final String ACCOUNT = "000000000000";
    static final String REGION = "us-east-1";
    private static final int MEMORY_MB = 1024;

    private final String ruleName;
    private final String functionName;
    private final Duration every;
    private final Duration timeout;
    private final RequestHandler<ScheduledEvent, ?> function;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    private LocalSchedule(String ruleName, String functionName, Duration every, Duration timeout,
            RequestHandler<ScheduledEvent, ?> function, Clock clock) {
        this.ruleName = Objects.requireNonNull(ruleName, "ruleName == null");
        this.functionName = Objects.requireNonNull(functionName, "functionName == null");
        this.every = Objects.requireNonNull(every, "every == null");
        this.timeout = Objects.requireNonNull(timeout, "timeout == null");
        this.function = Objects.requireNonNull(function, "function == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("every must be positive: " + every);
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "schedule-" + ruleName);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts the schedule; the first scheduled run comes after {@code firstRunAfter} (zero: now), then one
     * every {@code every}.
     *
     * @param timeout the function's timeout (what {@code getRemainingTimeInMillis()} counts down from)
     */
    public static LocalSchedule start(String ruleName, String functionName, Duration every, Duration firstRunAfter,
            Duration timeout, RequestHandler<ScheduledEvent, ?> function, Clock clock) {
        LocalSchedule schedule = new LocalSchedule(ruleName, functionName, every, timeout, function, clock);
        schedule.timer.scheduleAtFixedRate(schedule::runScheduled, firstRunAfter.toMillis(), every.toMillis(),
                TimeUnit.MILLISECONDS);
        return schedule;
    }

    public String ruleName() {
        return ruleName;
    }

    public Duration every() {
        return every;
    }

    /** Scheduled and on-demand runs so far, failed ones included. */
    public long runs() {
        return runs.get();
    }

    public long failures() {
        return failures.get();
    }

    /**
     * Invokes the function now, in the caller's thread, after any run in progress; returns what it returned
     * and lets its exception through (a person asked for this run and wants to know).
     */
    public Object runNow() {
        return invoke(scheduledEvent(ruleName, clock.instant()));
    }

    private void runScheduled() {
        try {
            invoke(scheduledEvent(ruleName, clock.instant()));
        } catch (RuntimeException | Error e) {
            // A thrown exception would cancel the timer: log it and keep the schedule.
            System.err.println("[schedule " + ruleName + "] " + functionName + " failed: " + e);
        }
    }

    private synchronized Object invoke(ScheduledEvent event) {
        runs.incrementAndGet();
        try {
            return function.handleRequest(event, new LocalLambdaContext(functionName, UUID.randomUUID().toString(),
                    timeout, MEMORY_MB));
        } catch (RuntimeException | Error e) {
            failures.incrementAndGet();
            throw e;
        }
    }

    /**
     * The event EventBridge sends for a schedule rule (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html):
     * version "0", a fresh id, detail-type "Scheduled Event", source "aws.events", the account and region,
     * the time of the tick to the second, the rule's ARN in resources and an empty detail.
     */
    public static ScheduledEvent scheduledEvent(String ruleName, Instant time) {
        return new ScheduledEvent()
                .withVersion("0")
                .withId(UUID.randomUUID().toString())
                .withDetailType("Scheduled Event")
                .withSource("aws.events")
                .withAccount(ACCOUNT)
                .withRegion(REGION)
                .withTime(new DateTime(time.truncatedTo(ChronoUnit.SECONDS).toEpochMilli(), DateTimeZone.UTC))
                .withResources(List.of("arn:aws:events:" + REGION + ":" + ACCOUNT + ":rule/" + ruleName))
                .withDetail(Map.of());
    }

    /** Stops the timer; a run in progress finishes (its database work is not cut in the middle). */
    @Override
    public void close() {
        timer.shutdown();
        try {
            if (!timer.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                timer.shutdownNow();
            }
        } catch (InterruptedException e) {
            timer.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
