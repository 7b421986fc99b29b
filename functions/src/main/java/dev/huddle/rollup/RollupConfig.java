package dev.huddle.rollup;

import dev.huddle.common.AwsConfig;
import dev.huddle.common.DatabaseConfig;
import dev.huddle.common.Settings;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The settings of the rollup functions (worker, sweep, admin read), read once per container.
 *
 * @param queueUrl the FIFO queue of rollup jobs (ROLLUP_QUEUE_URL); the worker and the sweep need it
 * @param maxEvents the events one rollup job reads at most, in one transaction
 * @param statementTimeout a rollup job runs in the worker, not on the request path: a longer statement budget
 * @param maxReceiveCount receives before a job message moves to the DLQ (the queue's redrive policy)
 */
public record RollupConfig(
        DatabaseConfig database,
        AwsConfig aws,
        Optional<String> queueUrl,
        Optional<String> dlqUrl,
        int maxEvents,
        Duration statementTimeout,
        int maxReceiveCount,
        int retryAfterSeconds) {

    public static RollupConfig from(Map<String, String> env) {
        Settings s = Settings.of(env);
        return new RollupConfig(
                DatabaseConfig.from(env),
                AwsConfig.from(env),
                s.rollupQueueUrl(),
                s.optionalText("ROLLUP_DLQ_URL"),
                s.integer("ROLLUP_MAX_EVENTS", 5_000),
                s.millis("ROLLUP_STATEMENT_TIMEOUT_MS", 60_000),
                s.integer("ROLLUP_MAX_RECEIVE_COUNT", 5),
                s.retryAfterSeconds());
    }

    /** The job queue, which {@code function} cannot run without. */
    String requiredQueueUrl(String function) {
        return queueUrl.orElseThrow(() -> new IllegalStateException("ROLLUP_QUEUE_URL is required by the " + function));
    }
}
