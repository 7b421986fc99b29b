package dev.huddle.local.stack;

import dev.huddle.devservers.SqsEventSourceSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * How the stack runs the background functions, like the CDK stack's event source mapping and schedule rules.
 *
 * @param rollupBatchSize jobs per rollup worker invocation (the event source mapping's batch size)
 * @param rollupConcurrency parallel rollup pollers (orgs rolled up at the same time)
 * @param rollupVisibilityTimeout how long a job being worked on stays invisible; a failed job comes back after it
 * @param sweepEvery how often the sweep queues jobs for orgs with a backlog (catches lost queue sends)
 * @param retentionEvery how often retention runs (nightly on AWS)
 * @param retentionFirstRunAfter when retention first runs after the start
 */
public record BackgroundSettings(int rollupBatchSize, int rollupConcurrency, Duration rollupVisibilityTimeout,
        Duration sweepEvery, Duration retentionEvery, Duration retentionFirstRunAfter) {
    public static final int DEFAULT_ROLLUP_BATCH_SIZE = 10;
    public static final int DEFAULT_ROLLUP_CONCURRENCY = 3;
    public static final Duration DEFAULT_ROLLUP_VISIBILITY_TIMEOUT = Duration.ofSeconds(60);
    /**
     * Shorter than on AWS (EventBridge's minimum is one minute): the fan-out deduplicates jobs per org in
     * 5-second buckets, so events committed after a bucket's job ran wait for the next job or the sweep,
     * and the local stack promises rollups within 60 seconds.
     */
    public static final Duration DEFAULT_SWEEP_EVERY = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RETENTION_EVERY = Duration.ofDays(1);

    public BackgroundSettings {
        Objects.requireNonNull(rollupVisibilityTimeout, "rollupVisibilityTimeout == null");
        Objects.requireNonNull(sweepEvery, "sweepEvery == null");
        Objects.requireNonNull(retentionEvery, "retentionEvery == null");
        Objects.requireNonNull(retentionFirstRunAfter, "retentionFirstRunAfter == null");
        if (rollupBatchSize < 1 || rollupBatchSize > SqsEventSourceSettings.MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("rollup batch size must be 1.." + SqsEventSourceSettings.MAX_BATCH_SIZE);
        }
        if (rollupConcurrency < 1) {
            throw new IllegalArgumentException("rollup concurrency must be at least 1");
        }
    }

    /** The defaults: as on AWS, with retention first running one interval after the start. */
    public static BackgroundSettings defaults() {
        return new BackgroundSettings(DEFAULT_ROLLUP_BATCH_SIZE, DEFAULT_ROLLUP_CONCURRENCY,
                DEFAULT_ROLLUP_VISIBILITY_TIMEOUT, DEFAULT_SWEEP_EVERY, DEFAULT_RETENTION_EVERY, DEFAULT_RETENTION_EVERY);
    }
}
