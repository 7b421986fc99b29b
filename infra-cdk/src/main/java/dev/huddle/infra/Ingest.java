package dev.huddle.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.constructs.Construct;

/**
 * The ingest path: the per-user rate-limit table and the function behind the four POST routes. The table
 * is on-demand (traffic follows the learners' day; one small item per active user), its items expire
 * through TTL once their bucket would be full again, and point-in-time recovery is on.
 * Key names follow dev.huddle.ratelimit.RateLimitTableSchema.
 */
public final class Ingest extends Construct {
    public static final String PARTITION_KEY = "pk";
    public static final String TTL_ATTRIBUTE = "expiresAt";
    /**
     * Short: the database statement timeout (3 s), connect (2 s), DynamoDB (0.1 s, a container's first call 1 s) and SQS (0.5 s) budgets
     * of the function fit, and a stuck request does not hold a client's batch for long (HTTP API's own
     * limit is 30 s).
     */
    public static final Duration TIMEOUT = Duration.seconds(10);
    /** Memory buys CPU: JSON parsing, TLS and validation of 100-event batches are CPU-bound. */
    public static final int MEMORY_MB = 1024;

    private final Table rateLimitTable;
    private final JavaFunction function;

    Ingest(Construct scope, String id, FunctionFactory functions, RollupPipeline rollups, HuddleSettings settings) {
        super(scope, id);
        rateLimitTable = Table.Builder.create(this, "RateLimitTable")
                .partitionKey(Attribute.builder().name(PARTITION_KEY).type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .timeToLiveAttribute(TTL_ATTRIBUTE)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .encryption(TableEncryption.AWS_MANAGED)
                // Only short-lived counters: nothing to keep when the stack goes.
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();

        function = functions.databaseFunction(this, "Function", DatabaseRole.INGEST, new FunctionFactory.Spec(FunctionFamily.INGEST,
                "dev.huddle.ingest.IngestHandler",
                "POST progress and analytics batches: validate, rate-limit, one procedure call per batch",
                MEMORY_MB, TIMEOUT,
                Map.of("RATE_LIMIT_TABLE", rateLimitTable.getTableName(),
                        "ROLLUP_QUEUE_URL", rollups.queue().getQueueUrl(),
                        "RETENTION_DAYS", Integer.toString(settings.retentionDays())))
                // Its most execution environments, so its most database connections: Lambda throttles a burst
                // beyond it (the client retries) before it can take the connections of the rollups, retention
                // and health (ConnectionBudget).
                .withReservedConcurrency(settings.ingestReservedConcurrency()));
        // The token bucket is one conditional UpdateItem per request, nothing else.
        function.role().addToPolicy(PolicyStatement.Builder.create()
                .sid("RateLimitBucket")
                .actions(List.of("dynamodb:UpdateItem"))
                .resources(List.of(rateLimitTable.getTableArn()))
                .build());
        rollups.grantSendJobs(function);
    }

    public Table rateLimitTable() {
        return rateLimitTable;
    }

    public JavaFunction function() {
        return function;
    }
}
