package dev.huddle.infra;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Everything a deployment may change, read ONCE from CDK context ({@code cdk deploy -c key=value} or
 * {@code infra-cdk/cdk.json}) and validated before any construct is built, so a typo fails the synth with
 * the name of the setting instead of producing a half-right stack. Values from {@code -c} arrive as
 * strings, values from cdk.json as JSON types: both are accepted.
 *
 * @param jwtIssuer issuer of the tokens the API accepts; empty: the stack creates a Cognito user pool
 * @param jwtAudience accepted audiences (client ids); required with {@code jwtIssuer}
 * @param corsAllowedOrigins browser origins allowed to call the API; empty: no CORS configuration
 * @param throttleRatePerSecond default stage steady-state rate, the first line before the per-user limit
 * @param throttleBurst default stage burst
 * @param healthThrottleRatePerSecond steady-state rate of GET /api/health, its own route throttle: the route is
 *     unauthenticated, so it gets far less than the stage
 * @param healthThrottleBurst burst of GET /api/health
 * @param dbInstanceClass RDS instance class, e.g. {@code t4g.small}
 * @param dbAllocatedStorageGib initial gp3 storage (storage autoscaling may grow it)
 * @param dbMultiAz a standby in the second AZ (doubles the instance price)
 * @param deletionProtection RDS deletion protection
 * @param removalPolicy what {@code cdk destroy} does to the database and the snapshot bucket
 * @param retentionSchedule EventBridge schedule expression of the nightly retention run
 * @param retentionDays days of raw events kept in PostgreSQL (the functions' RETENTION_DAYS)
 * @param snapshotColdAfterDays snapshots move to S3 Glacier Instant Retrieval after this many days
 * @param logRetentionDays CloudWatch Logs retention of every function
 * @param workerMaxConcurrency the rollup worker's event source mapping maximum concurrency (2..1000)
 * @param ingestReservedConcurrency the ingest function's reserved concurrency: its most execution environments,
 *     hence its most database connections; by default {@link ConnectionBudget#defaultIngestReservedConcurrency}
 *     of the instance class, never more than {@link ConnectionBudget#ingestLimit} allows
 * @param alarmEmail address subscribed to the alarm topic; empty: no subscription
 * @param localstack deploying to LocalStack: switch off only what LocalStack lacks (see {@link HuddleStack})
 */
public record HuddleSettings(
        Optional<String> jwtIssuer,
        List<String> jwtAudience,
        List<String> corsAllowedOrigins,
        double throttleRatePerSecond,
        int throttleBurst,
        double healthThrottleRatePerSecond,
        int healthThrottleBurst,
        String dbInstanceClass,
        int dbAllocatedStorageGib,
        boolean dbMultiAz,
        boolean deletionProtection,
        Removal removalPolicy,
        String retentionSchedule,
        int retentionDays,
        int snapshotColdAfterDays,
        int logRetentionDays,
        int workerMaxConcurrency,
        int ingestReservedConcurrency,
        Optional<String> alarmEmail,
        boolean localstack) {

    /** The context keys, with their defaults in {@link #fromContext(Function)}; the README lists them too. */
    public static final List<String> KEYS = List.of(
            "jwtIssuer", "jwtAudience", "corsAllowedOrigins", "throttleRatePerSecond", "throttleBurst",
            "healthThrottleRatePerSecond", "healthThrottleBurst", "dbInstanceClass", "dbAllocatedStorageGib",
            "dbMultiAz", "deletionProtection", "removalPolicy",
            "retentionSchedule", "retentionDays", "snapshotColdAfterDays", "logRetentionDays",
            "workerMaxConcurrency", "ingestReservedConcurrency", "alarmEmail", "localstack");

    private static final Pattern INSTANCE_CLASS = Pattern.compile("[a-z][a-z0-9-]*\\.[a-z0-9]+");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern SCHEDULE = Pattern.compile("(cron|rate)\\(.+\\)");
    /** CloudWatch Logs accepts only these retention periods (days). */
    private static final List<Integer> LOG_RETENTION_DAYS = List.of(
            1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

    /** What {@code cdk destroy} (or removing the resource) does to stateful resources. */
    public enum Removal { RETAIN, SNAPSHOT, DESTROY }

    public HuddleSettings {
        jwtAudience = List.copyOf(jwtAudience);
        corsAllowedOrigins = List.copyOf(corsAllowedOrigins);
        jwtIssuer.ifPresent(issuer -> require(issuer.startsWith("https://"), "jwtIssuer must be an https URL: " + issuer));
        require(jwtIssuer.isEmpty() || !jwtAudience.isEmpty(), "jwtAudience is required when jwtIssuer is set");
        require(jwtIssuer.isPresent() || jwtAudience.isEmpty(), "jwtAudience without jwtIssuer: set both, or neither for a Cognito user pool");
        require(throttleRatePerSecond > 0, "throttleRatePerSecond must be > 0: " + throttleRatePerSecond);
        require(throttleBurst > 0, "throttleBurst must be > 0: " + throttleBurst);
        require(healthThrottleRatePerSecond > 0, "healthThrottleRatePerSecond must be > 0: " + healthThrottleRatePerSecond);
        require(healthThrottleBurst > 0, "healthThrottleBurst must be > 0: " + healthThrottleBurst);
        require(INSTANCE_CLASS.matcher(dbInstanceClass).matches(), "dbInstanceClass must look like t4g.small: " + dbInstanceClass);
        require(dbAllocatedStorageGib >= 20, "dbAllocatedStorageGib must be >= 20 (the gp3 minimum): " + dbAllocatedStorageGib);
        require(SCHEDULE.matcher(retentionSchedule).matches(), "retentionSchedule must be cron(...) or rate(...): " + retentionSchedule);
        require(retentionDays >= 1, "retentionDays must be >= 1: " + retentionDays);
        require(snapshotColdAfterDays >= 1, "snapshotColdAfterDays must be >= 1: " + snapshotColdAfterDays);
        require(LOG_RETENTION_DAYS.contains(logRetentionDays), "logRetentionDays must be one of " + LOG_RETENTION_DAYS + ": " + logRetentionDays);
        // AWS limits for an SQS event source mapping's maximum concurrency.
        require(workerMaxConcurrency >= 2 && workerMaxConcurrency <= 1000, "workerMaxConcurrency must be 2..1000: " + workerMaxConcurrency);
        int ingestLimit = ConnectionBudget.of(dbInstanceClass).ingestLimit(workerMaxConcurrency);
        require(ingestReservedConcurrency >= 1 && ingestReservedConcurrency <= ingestLimit,
                "ingestReservedConcurrency must be 1.." + ingestLimit + " on " + dbInstanceClass + " with workerMaxConcurrency "
                        + workerMaxConcurrency + " (the RDS Proxy's connections less the worker's and "
                        + ConnectionBudget.OTHER_CLIENTS + " for the other functions): " + ingestReservedConcurrency);
        alarmEmail.ifPresent(email -> require(EMAIL.matcher(email).matches(), "alarmEmail is not an email address: " + email));
    }

    /** All defaults: what {@code cdk deploy} without any {@code -c} gives. */
    public static HuddleSettings defaults() {
        return fromContext(key -> null);
    }

    /** Reads every setting through {@code context} (e.g. {@code node::tryGetContext}); null means "not set". */
    public static HuddleSettings fromContext(Function<String, Object> context) {
        Values v = new Values(context);
        // Read first: the default of ingestReservedConcurrency depends on them (after their own validation).
        String dbInstanceClass = v.text("dbInstanceClass").orElse("t4g.small");
        int workerMaxConcurrency = (int) v.number("workerMaxConcurrency", 5);
        return new HuddleSettings(
                v.text("jwtIssuer"),
                v.list("jwtAudience"),
                v.list("corsAllowedOrigins"),
                // 500 req/s is the seed's steady load (5,000 learners every 10 s): room for twice that.
                v.number("throttleRatePerSecond", 1000),
                (int) v.number("throttleBurst", 2000),
                // Health answers from a 1 s cache; uptime probes need a few requests a second, not hundreds.
                v.number("healthThrottleRatePerSecond", 10),
                (int) v.number("healthThrottleBurst", 20),
                // t4g.small (2 vCPU burstable, 2 GiB): the cheapest class whose memory holds PostgreSQL 17's
                // caches next to an RDS Proxy pool; t4g.micro (1 GiB) runs out of room for connections under
                // Lambda bursts. Sustained peak load needs a non-burstable class (README: m7g.large).
                dbInstanceClass,
                (int) v.number("dbAllocatedStorageGib", 20),
                v.bool("dbMultiAz", false),
                v.bool("deletionProtection", true),
                v.text("removalPolicy").map(HuddleSettings::removal).orElse(Removal.SNAPSHOT),
                v.text("retentionSchedule").orElse("cron(15 3 * * ? *)"),
                (int) v.number("retentionDays", 30),
                (int) v.number("snapshotColdAfterDays", 30),
                (int) v.number("logRetentionDays", 30),
                workerMaxConcurrency,
                (int) v.number("ingestReservedConcurrency", INSTANCE_CLASS.matcher(dbInstanceClass).matches()
                        ? ConnectionBudget.of(dbInstanceClass).defaultIngestReservedConcurrency(workerMaxConcurrency)
                        : 1),
                v.text("alarmEmail"),
                v.bool("localstack", false));
    }

    /** Settings from a plain map (tests): unknown keys are an error there too. */
    public static HuddleSettings fromMap(Map<String, ?> values) {
        values.keySet().forEach(key -> require(KEYS.contains(key), "unknown setting: " + key));
        return fromContext(new HashMap<>(values)::get);
    }

    public boolean createsUserPool() {
        return jwtIssuer.isEmpty();
    }

    private static Removal removal(String value) {
        try {
            return Removal.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("removalPolicy must be retain, snapshot or destroy: " + value, e);
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Converts one raw context value at a time and names the key when it cannot. */
    private record Values(Function<String, Object> context) {
        Optional<String> text(String key) {
            Object value = context.apply(key);
            return value == null || value.toString().isBlank() ? Optional.empty() : Optional.of(value.toString().trim());
        }

        List<String> list(String key) {
            Object value = context.apply(key);
            if (value instanceof List<?> items) {
                return items.stream().map(Object::toString).map(String::trim).filter(s -> !s.isEmpty()).toList();
            }
            return text(key).map(s -> Arrays.stream(s.split(",")).map(String::trim).filter(p -> !p.isEmpty()).toList())
                    .orElse(List.of());
        }

        double number(String key, double fallback) {
            Object value = context.apply(key);
            if (value instanceof Number n) {
                return n.doubleValue();
            }
            return text(key).map(s -> {
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(key + " is not a number: " + s, e);
                }
            }).orElse(fallback);
        }

        boolean bool(String key, boolean fallback) {
            Object value = context.apply(key);
            if (value instanceof Boolean b) {
                return b;
            }
            return text(key).map(s -> switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException(key + " must be true or false: " + s);
            }).orElse(fallback);
        }
    }
}
