package dev.huddle.common;

import dev.huddle.common.db.DatabaseTls;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of the functions, read once per container from environment variables that the stack
 * (CDK or the local stack) sets. Defaults follow the API contract; nothing else in the code reads the
 * environment.
 */
public record Config(
        String dbUrl,
        String dbUser,
        String dbPassword,
        String dbSslMode,
        String dbSslRootCert,
        Duration dbConnectTimeout,
        Duration dbStatementTimeout,
        Duration dbLatencySlo,
        int maxEventsPerBatch,
        int maxBodyBytes,
        int maxPropertiesBytes,
        int retentionDays,
        Duration maxFutureSkew,
        double rateLimitPerSecond,
        int rateLimitBurst,
        String rateLimitTable,
        Optional<URI> dynamoDbEndpoint,
        String awsRegion,
        Duration dynamoDbTimeout,
        int retryAfterSeconds,
        Duration healthDbTimeout,
        long healthBacklogDegraded,
        String snapshotBucket,
        Optional<URI> s3Endpoint,
        int partitionsAheadDays,
        Optional<String> rollupQueueUrl,
        Optional<String> rollupDlqUrl,
        Optional<URI> sqsEndpoint,
        Duration sqsTimeout,
        int rollupMaxEvents,
        int rollupMaxReceiveCount,
        Duration rollupStatementTimeout,
        Optional<String> dbSecretArn,
        Optional<String> dbRoleSecretArns,
        Optional<URI> secretsManagerEndpoint,
        Duration rollupLagDegraded,
        int dailyQuotaEvents,
        long dailyQuotaBytes,
        int maxEventNamesPerOrgDay) {

    public static Config fromEnvironment() {
        return from(System.getenv());
    }

    public static Config from(Map<String, String> env) {
        Settings s = new Settings(env);
        return new Config(
                s.text("DB_URL", "jdbc:postgresql://127.0.0.1:5432/huddle"),
                s.text("DB_USER", "huddle"),
                s.text("DB_PASSWORD", ""),
                // TLS to the database (dev.huddle.common.db.DatabaseTls): by default the server's certificate
                // must chain to the bundled RDS / RDS Proxy CAs and name the host dialled; the local stack
                // and tests set "disable" for their server on 127.0.0.1.
                s.text("DB_SSL_MODE", DatabaseTls.VERIFY_FULL),
                s.text("DB_SSL_ROOT_CERT", DatabaseTls.RDS_CA_BUNDLE),
                s.millis("DB_CONNECT_TIMEOUT_MS", 2_000),
                s.millis("DB_STATEMENT_TIMEOUT_MS", 3_000),
                s.millis("DB_LATENCY_SLO_MS", 500),
                s.integer("MAX_EVENTS_PER_BATCH", 100),
                s.integer("MAX_BODY_BYTES", 256 * 1024),
                s.integer("MAX_PROPERTIES_BYTES", 8 * 1024),
                s.integer("RETENTION_DAYS", 30),
                s.millis("MAX_FUTURE_SKEW_MS", 5 * 60_000),
                s.decimal("RATE_LIMIT_PER_SECOND", 5.0),
                s.integer("RATE_LIMIT_BURST", 10),
                s.text("RATE_LIMIT_TABLE", "huddle-rate-limits"),
                s.optionalText("DYNAMODB_ENDPOINT").map(URI::create),
                s.text("AWS_REGION", "us-east-1"),
                s.millis("DYNAMODB_TIMEOUT_MS", 300),
                s.integer("RETRY_AFTER_SECONDS", 2),
                // The health probe must answer fast even when the database does not: its own, shorter timeout.
                s.millis("HEALTH_DB_TIMEOUT_MS", 1_000),
                // Health turns "degraded" above this offline backlog: the sum of the latest queue depth of every
                // client that reported in the last 15 minutes. 50 queued events is a client's own warning level,
                // so the default means about a hundred clients at that level at once.
                s.integer("HEALTH_BACKLOG_DEGRADED", 5_000),
                // Retention writes each dropped partition's rows here before it drops them.
                s.text("SNAPSHOT_BUCKET", "huddle-snapshots"),
                s.optionalText("S3_ENDPOINT").map(URI::create),
                // Daily partitions kept created ahead of today; retention tops them up on every run.
                s.integer("PARTITIONS_AHEAD_DAYS", 14),
                // The FIFO queue of rollup jobs and its dead-letter queue; without a queue URL the ingest
                // path queues nothing and rollups rely on the scheduled sweep alone.
                s.optionalText("ROLLUP_QUEUE_URL"),
                s.optionalText("ROLLUP_DLQ_URL"),
                s.optionalText("SQS_ENDPOINT").map(URI::create),
                // Bounds the fan-out send on the ingest path (the events are committed by then).
                s.millis("SQS_TIMEOUT_MS", 500),
                s.integer("ROLLUP_MAX_EVENTS", 5_000),
                // Receives before a job message moves to the DLQ (the queue's redrive policy).
                s.integer("ROLLUP_MAX_RECEIVE_COUNT", 5),
                // A rollup job runs in the worker, not on the request path: a longer statement budget.
                s.millis("ROLLUP_STATEMENT_TIMEOUT_MS", 60_000),
                // The database credentials' secret on AWS ({"username","password",...}); when set it
                // replaces DB_USER/DB_PASSWORD and is read at the first connection, again after a rotation.
                s.optionalText("DB_SECRET_ARN"),
                // Migrations only: {"huddle_ingest": "<secret ARN>", ...}, the secret of each database role, whose
                // password the migration sets (dev.huddle.migrate.MigrationHandler); DB_SECRET_ARN is then the admin's.
                s.optionalText("DB_ROLE_SECRET_ARNS"),
                s.optionalText("SECRETS_MANAGER_ENDPOINT").map(URI::create),
                // Health turns "degraded" (rollup_lag) when the oldest event not yet rolled up has waited
                // longer: five sweeps on AWS, so a lost job alone never trips it, a stuck worker does.
                Duration.ofSeconds(s.integer("ROLLUP_LAG_DEGRADED_SECONDS", 300)),
                // A learner's daily quota (UTC day), counted over every ingest request that got past the
                // rate limit and the body checks: ten times a heavy day of real use (a learner posting every
                // 10 s for 8 hours sends ~3,000 requests), small enough that one account cannot fill the
                // database (ratelimit/DynamoDbDailyQuota). 0 turns the quota off (one DynamoDB write less per
                // request).
                s.integer("DAILY_QUOTA_EVENTS", 50_000),
                s.longInteger("DAILY_QUOTA_BYTES", 50L * 1024 * 1024),
                // Distinct analytics event names per org and UTC day; an event with a new name over the bound
                // is rejected (too_many_event_names), so rollups cannot be blown up with names.
                s.integer("MAX_EVENT_NAMES_PER_ORG_DAY", 1_000));
    }

    /** Parses one environment variable at a time and says which one is wrong. */
    private record Settings(Map<String, String> env) {
        Optional<String> optionalText(String name) {
            String v = env.get(name);
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
        }

        String text(String name, String fallback) {
            return optionalText(name).orElse(fallback);
        }

        int integer(String name, int fallback) {
            return optionalText(name).map(v -> parse(name, v, Integer::parseInt)).orElse(fallback);
        }

        long longInteger(String name, long fallback) {
            return optionalText(name).map(v -> parse(name, v, Long::parseLong)).orElse(fallback);
        }

        double decimal(String name, double fallback) {
            return optionalText(name).map(v -> parse(name, v, Double::parseDouble)).orElse(fallback);
        }

        Duration millis(String name, long fallback) {
            return Duration.ofMillis(optionalText(name).map(v -> parse(name, v, Long::parseLong)).orElse(fallback));
        }

        private static <T> T parse(String name, String value, java.util.function.Function<String, T> parser) {
            try {
                return parser.apply(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " is not a number: " + value, e);
            }
        }
    }
}
