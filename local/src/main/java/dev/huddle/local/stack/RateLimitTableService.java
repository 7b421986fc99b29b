package dev.huddle.local.stack;

import dev.huddle.common.AwsClients;
import dev.huddle.common.AwsConfig;
import dev.huddle.devservers.DynaliteServer;
import dev.huddle.ingest.IngestConfig;
import dev.huddle.ratelimit.RateLimitTableSchema;
import java.time.Duration;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;

/**
 * The DynamoDB API for the rate limiter: dynalite (in memory, a node child process), or the endpoint in
 * {@code DYNAMODB_ENDPOINT}; and the rate-limit table, created as CDK creates it on AWS.
 */
final class RateLimitTableService {
    private RateLimitTableService() {
    }

    /** Starts dynalite unless {@code DYNAMODB_ENDPOINT} is set; returns the settings it provides. */
    static Map<String, String> startUnlessExternal(EmulatedStackOptions options, Deque<AutoCloseable> started) {
        if (options.setting("DYNAMODB_ENDPOINT") != null) {
            return Map.of();
        }
        DynaliteServer dynalite = DynaliteServer.start(0);
        started.push(dynalite);
        return Map.of("DYNAMODB_ENDPOINT", dynalite.endpoint().toString());
    }

    /** The table CDK creates on AWS; dynalite keeps data in memory, so it is created on every start. */
    static void createTableIfMissing(IngestConfig config) {
        // Table management is not on a request path: allow it more than the limiter's request timeout.
        Map<String, String> adminSettings = new HashMap<>();
        adminSettings.put("DYNAMODB_TIMEOUT_MS", "10000");
        adminSettings.put("AWS_REGION", config.aws().region());
        config.aws().dynamoDbEndpoint().ifPresent(endpoint -> adminSettings.put("DYNAMODB_ENDPOINT", endpoint.toString()));
        try (DynamoDbClient dynamo = AwsClients.dynamoDb(AwsConfig.from(adminSettings))) {
            try {
                dynamo.createTable(RateLimitTableSchema.createTableRequest(config.rateLimit().table()));
            } catch (ResourceInUseException alreadyThere) {
                // Created by an earlier run (external endpoint) or by CDK.
            }
            dynamo.waiter().waitUntilTableExists(
                    DescribeTableRequest.builder().tableName(config.rateLimit().table()).build(),
                    WaiterOverrideConfiguration.builder()
                            .maxAttempts(100)
                            .backoffStrategyV2(BackoffStrategy.fixedDelay(Duration.ofMillis(100)))
                            .build());
        }
    }

    static String describe(IngestConfig config, boolean external) {
        return config.aws().dynamoDbEndpoint().map(Object::toString).orElse("AWS")
                + (external ? " (external)" : " (dynalite, in memory)");
    }
}
