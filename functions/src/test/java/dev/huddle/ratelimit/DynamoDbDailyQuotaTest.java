package dev.huddle.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The daily quota against dynalite: the counters, both limits, the refusal's Retry-After, the new day. */
class DynamoDbDailyQuotaTest {
    /** 2023-11-14T22:13:20Z: 6,400 s before midnight UTC. */
    private static final long START = 1_700_000_000_000L;
    private static DynamoDbClient dynamoDb;
    private static String table;

    private final MutableClock clock = MutableClock.atEpochMillis(START);

    @BeforeAll
    static void createTable() {
        dynamoDb = TestDynamo.countingClient(new TestDynamo.UpdateItemCounter());
        table = TestDynamo.newTable(dynamoDb);
    }

    @AfterAll
    static void closeClient() {
        dynamoDb.close();
    }

    @Test
    void admitsUntilTheEventQuotaIsUsed_thenRefusesUntilMidnightUtc() {
        DynamoDbDailyQuota quota = new DynamoDbDailyQuota(dynamoDb, table, 250, 1_000_000, clock);
        for (int i = 0; i < 2; i++) {
            assertThat(quota.charge("learner-events", 100, 1_000).allowed()).isTrue();
        }
        assertThat(quota.charge("learner-events", 50, 1_000).allowed()).as("exactly the quota").isTrue();

        RateLimitDecision refused = quota.charge("learner-events", 1, 10);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterSeconds()).isEqualTo(6_401);
        assertThat(quota.charge("learner-other", 100, 1_000).allowed()).as("another learner").isTrue();

        clock.advance(Duration.ofSeconds(6_401));
        assertThat(quota.charge("learner-events", 100, 1_000).allowed()).as("the next UTC day").isTrue();
    }

    @Test
    void refuses_whenTheBytesWouldPassTheirQuota() {
        DynamoDbDailyQuota quota = new DynamoDbDailyQuota(dynamoDb, table, 50_000, 10_000, clock);
        assertThat(quota.charge("learner-bytes", 1, 9_000).allowed()).isTrue();
        assertThat(quota.charge("learner-bytes", 1, 1_001).allowed()).isFalse();
        assertThat(quota.charge("learner-bytes", 1, 1_000).allowed()).as("a refusal charges nothing").isTrue();
    }

    @Test
    void refusesARequestLargerThanTheWholeQuota_withoutACall() {
        TestDynamo.UpdateItemCounter calls = new TestDynamo.UpdateItemCounter();
        try (DynamoDbClient counting = TestDynamo.countingClient(calls)) {
            DynamoDbDailyQuota quota = new DynamoDbDailyQuota(counting, table, 10, 10_000, clock);
            assertThat(quota.charge("learner-huge", 11, 100).allowed()).isFalse();
            assertThat(calls.count()).isZero();
        }
    }
}
