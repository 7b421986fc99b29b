package dev.huddle.local.stack;

import dev.huddle.devservers.LocalSchedule;
import dev.huddle.devservers.SqsEventSourceMapping;
import dev.huddle.devservers.SqsEventSourceSettings;
import dev.huddle.retention.RetentionConfig;
import dev.huddle.retention.RetentionHandler;
import dev.huddle.rollup.RollupConfig;
import dev.huddle.rollup.RollupSchedulerHandler;
import dev.huddle.rollup.RollupWorkerHandler;
import dev.huddle.sql.DatabaseRole;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The functions that no HTTP request triggers, wired as the CDK stack wires them on AWS: the rollup worker
 * behind an SQS event source mapping on the job queue, the rollup sweep on a schedule rule (it queues jobs
 * for orgs whose backlog no queued job covers, e.g. after a lost send), and retention on a schedule rule
 * (nightly there; {@link BackgroundSettings#retentionEvery()} here).
 */
final class BackgroundFunctions implements AutoCloseable {
    static final String RETENTION_RULE = "huddle-retention-nightly";
    /** Retention streams whole partitions: the function's timeout is Lambda's maximum. */
    static final Duration RETENTION_TIMEOUT = Duration.ofMinutes(15);
    static final String SWEEP_RULE = "huddle-rollup-sweep";
    static final Duration SWEEP_TIMEOUT = Duration.ofMinutes(1);
    /**
     * One receive waits this long for jobs. Lambda's pollers wait up to 20 s; a shorter wait costs nothing
     * locally and lets the stack stop within it.
     */
    static final Duration LONG_POLL_WAIT = Duration.ofSeconds(2);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final List<String> descriptions = new ArrayList<>();
    private SqsEventSourceMapping rollupWorker;

    private BackgroundFunctions() {
    }

    static BackgroundFunctions start(FunctionLogins logins, BackgroundSettings settings) {
        BackgroundFunctions functions = new BackgroundFunctions();
        try {
            functions.startRollups(logins, settings);
            functions.startRetention(RetentionConfig.from(logins.environment(DatabaseRole.RETENTION)), settings);
            return functions;
        } catch (RuntimeException | Error e) {
            functions.close();
            throw e;
        }
    }

    private void startRollups(FunctionLogins logins, BackgroundSettings settings) {
        RollupConfig config = RollupConfig.from(logins.environment(DatabaseRole.ROLLUP_WORKER));
        String queueUrl = config.queueUrl().orElseThrow(
                () -> new IllegalStateException("ROLLUP_QUEUE_URL is not set: the rollup worker has no queue"));
        SqsClient poller = RollupQueueService.pollingClient(config);
        // Pushed first, so closed last: the mapping's pollers stop before their client does.
        started.push(poller);
        rollupWorker = SqsEventSourceMapping.start(poller, new SqsEventSourceSettings("huddle-rollup-worker",
                queueUrl, settings.rollupBatchSize(), settings.rollupVisibilityTimeout(), LONG_POLL_WAIT,
                settings.rollupConcurrency()), () -> new RollupWorkerHandler(config));
        started.push(rollupWorker);
        descriptions.add("Rollups    worker polls the job queue: batch " + settings.rollupBatchSize() + ", "
                + settings.rollupConcurrency() + " pollers, visibility " + human(settings.rollupVisibilityTimeout())
                + "; sweep every " + human(settings.sweepEvery()) + " (dead letters: local-stack.jar replay [--dry-run])");
        LocalSchedule sweep = LocalSchedule.start(SWEEP_RULE, "huddle-rollup-sweep", settings.sweepEvery(),
                settings.sweepEvery(), SWEEP_TIMEOUT, new RollupSchedulerHandler(RollupConfig.from(logins.environment(DatabaseRole.ROLLUP_SWEEP))), Clock.systemUTC());
        started.push(sweep);
    }

    /** What the rollup worker's event source mapping did so far. */
    SqsEventSourceMapping.Counts rollupWorkerCounts() {
        return rollupWorker.counts();
    }

    private void startRetention(RetentionConfig config, BackgroundSettings settings) {
        LocalSchedule retention = LocalSchedule.start(RETENTION_RULE, "huddle-retention", settings.retentionEvery(),
                settings.retentionFirstRunAfter(), RETENTION_TIMEOUT, new RetentionHandler(config),
                Clock.systemUTC());
        started.push(retention);
        descriptions.add("Retention  every " + human(settings.retentionEvery())
                + " (run it now: local-stack.jar retention [--dry-run])");
    }

    /** One line per background function, for the ready banner. */
    List<String> descriptions() {
        return List.copyOf(descriptions);
    }

    static String human(Duration duration) {
        if (duration.toDays() > 0 && duration.equals(Duration.ofDays(duration.toDays()))) {
            return duration.toDays() + "d";
        }
        if (duration.toHours() > 0 && duration.equals(Duration.ofHours(duration.toHours()))) {
            return duration.toHours() + "h";
        }
        if (duration.toMinutes() > 0 && duration.equals(Duration.ofMinutes(duration.toMinutes()))) {
            return duration.toMinutes() + "m";
        }
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.err.println("stopping a background function failed: " + e.getMessage());
            }
        }
    }
}
