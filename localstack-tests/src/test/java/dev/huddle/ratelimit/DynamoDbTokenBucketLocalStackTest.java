package dev.huddle.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.common.AwsClients;
import dev.huddle.common.AwsConfig;
import dev.huddle.localstack.LocalStack;
import dev.huddle.localstack.RequiresDocker;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/** The rate limiter's conditional UpdateItems, and the TTL setting dynalite lacks, on LocalStack's DynamoDB. */
@RequiresDocker
class DynamoDbTokenBucketLocalStackTest {
    private static final Clock FROZEN = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);

    private final String table = "rate-limits-" + System.nanoTime();
    private final DynamoDbClient dynamoDb = AwsClients.dynamoDb(AwsConfig.from(LocalStack.environment(Map.of())));

    @Test
    void allowsTheBurst_thenRefusesWithRetryAfter() {
        dynamoDb.createTable(RateLimitTableSchema.createTableRequest(table));
        DynamoDbTokenBucket bucket = new DynamoDbTokenBucket(dynamoDb, table, 1.0, 3, FROZEN);

        for (int i = 0; i < 3; i++) {
            assertThat(bucket.tryAcquire("learner-1").allowed()).isTrue();
        }
        RateLimitDecision refused = bucket.tryAcquire("learner-1");

        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterSeconds()).isPositive();
        assertThat(bucket.tryAcquire("learner-2").allowed()).isTrue();
    }

    @Test
    void acceptsTheTimeToLiveSettingTheStackUses() {
        dynamoDb.createTable(RateLimitTableSchema.createTableRequest(table));

        dynamoDb.updateTimeToLive(b -> b.tableName(table).timeToLiveSpecification(
                s -> s.enabled(true).attributeName(RateLimitTableSchema.TTL_ATTRIBUTE)));

        assertThat(dynamoDb.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription().timeToLiveStatus())
                .isIn(TimeToLiveStatus.ENABLED, TimeToLiveStatus.ENABLING);
    }
}
