package dev.huddle.ingest;

import dev.huddle.common.AwsConfig;
import dev.huddle.common.DatabaseConfig;
import dev.huddle.common.Settings;
import dev.huddle.ratelimit.RateLimitConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The ingest function's settings, read once per container; defaults follow the API contract (openapi.yaml).
 *
 * @param maxEventNamesPerOrgDay distinct analytics event names per org and UTC day; an event with a new name
 *                               over the bound is rejected (too_many_event_names), so rollups cannot be blown
 *                               up with names
 * @param rollupQueueUrl the rollup job queue the ingest path asks for rollups on; empty: none
 * @param serverTiming   SERVER_TIMING: answers carry the handler's own figures in a {@code Server-Timing}
 *                       header ({@link ServerTiming}); off unless set to {@code true} (the local stack sets it)
 * @param warmUpAtInit   the constructor builds its collaborators on two threads and makes their first calls
 *                       ({@link ColdStartWarmUp}); WARM_UP_AT_INIT, on by default, and always off in a SnapStart
 *                       function's init (AWS_LAMBDA_INITIALIZATION_TYPE=snap-start), whose connections would be
 *                       dead after the restore and whose priming runs before the snapshot instead
 */
public record IngestConfig(
        DatabaseConfig database,
        AwsConfig aws,
        RateLimitConfig rateLimit,
        int maxEventsPerBatch,
        int maxBodyBytes,
        int maxPropertiesBytes,
        int retentionDays,
        Duration maxFutureSkew,
        int maxEventNamesPerOrgDay,
        int retryAfterSeconds,
        Optional<String> rollupQueueUrl,
        boolean serverTiming,
        boolean warmUpAtInit) {
    /** Lambda's variable for how an environment is being initialised (on-demand, provisioned-concurrency, snap-start). */
    static final String INITIALIZATION_TYPE = "AWS_LAMBDA_INITIALIZATION_TYPE";

    public static IngestConfig from(Map<String, String> env) {
        Settings s = Settings.of(env);
        return new IngestConfig(
                DatabaseConfig.from(env),
                AwsConfig.from(env),
                RateLimitConfig.from(s),
                s.integer("MAX_EVENTS_PER_BATCH", 100),
                s.integer("MAX_BODY_BYTES", 256 * 1024),
                s.integer("MAX_PROPERTIES_BYTES", 8 * 1024),
                s.retentionDays(),
                s.millis("MAX_FUTURE_SKEW_MS", 5 * 60_000),
                s.integer("MAX_EVENT_NAMES_PER_ORG_DAY", 1_000),
                s.retryAfterSeconds(),
                s.rollupQueueUrl(),
                s.bool("SERVER_TIMING", false),
                !"snap-start".equals(env.get(INITIALIZATION_TYPE)) && s.bool("WARM_UP_AT_INIT", true));
    }
}
