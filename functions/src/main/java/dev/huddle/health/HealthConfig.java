package dev.huddle.health;

import dev.huddle.common.AwsConfig;
import dev.huddle.common.DatabaseConfig;
import dev.huddle.common.Settings;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The health function's settings, read once per container.
 *
 * @param dbTimeout the probe must answer fast even when the database does not: its own, shorter timeout
 * @param backlogDegraded health turns "degraded" above this offline backlog: the sum of the latest queue depth
 *                        of every client that reported in the last 15 minutes. 50 queued events is a client's
 *                        own warning level, so the default means about a hundred clients at that level at once
 * @param rollupLagDegraded health turns "degraded" (rollup_lag) when the oldest event not yet rolled up has
 *                          waited longer: five sweeps on AWS, so a lost job alone never trips it, a stuck worker
 *                          does
 * @param rollupQueueUrl the rollup job queue whose depth health reports; empty: "not configured"
 */
public record HealthConfig(
        DatabaseConfig database,
        AwsConfig aws,
        Duration dbTimeout,
        long backlogDegraded,
        Duration rollupLagDegraded,
        int retryAfterSeconds,
        Optional<String> rollupQueueUrl) {

    public static HealthConfig from(Map<String, String> env) {
        Settings s = Settings.of(env);
        return new HealthConfig(
                DatabaseConfig.from(env),
                AwsConfig.from(env),
                s.millis("HEALTH_DB_TIMEOUT_MS", 1_000),
                s.integer("HEALTH_BACKLOG_DEGRADED", 5_000),
                Duration.ofSeconds(s.integer("ROLLUP_LAG_DEGRADED_SECONDS", 300)),
                s.retryAfterSeconds(),
                s.rollupQueueUrl());
    }
}
