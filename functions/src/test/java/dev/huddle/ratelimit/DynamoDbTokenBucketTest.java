package dev.huddle.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.huddle.common.AwsClients;
import dev.huddle.common.AwsConfig;
import dev.huddle.devservers.LatencyProxy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The bucket against real DynamoDB semantics (dynalite), with a clock the test moves. */
class DynamoDbTokenBucketTest {

    private static final long START = 1_700_000_000_000L;
    private static final TestDynamo.UpdateItemCounter updateItems = new TestDynamo.UpdateItemCounter();
    private static DynamoDbClient dynamoDb;
    private static String table;

    private final MutableClock clock = MutableClock.atEpochMillis(START);
    private final String user = "learner-" + UUID.randomUUID();
    /** 5 per second (200 ms), burst 10. */
    private DynamoDbTokenBucket bucket;

    @BeforeAll
    static void createTable() {
        dynamoDb = TestDynamo.countingClient(updateItems);
        table = TestDynamo.newTable(dynamoDb);
    }

    @AfterAll
    static void closeClient() {
        dynamoDb.close();
    }

    @BeforeEach
    void newContainer() {
        bucket = newBucket(clock);
        updateItems.reset();
    }

    @Test
    void admitsExactlyBurstAtOnce_thenRefusesWithRetryAfter() {
        List<RateLimitDecision> decisions = acquire(bucket, user, 12);

        assertThat(decisions.subList(0, 10)).allMatch(RateLimitDecision::allowed);
        assertThat(decisions.subList(10, 12)).containsOnly(RateLimitDecision.refuse(1));
    }

    @Test
    void admitsOnePerInterval_andTheWholeBurstAfterIdling() {
        drain(bucket, user);

        clock.advanceMillis(199);
        assertThat(bucket.tryAcquire(user).allowed()).isFalse();
        clock.advanceMillis(1);
        assertThat(bucket.tryAcquire(user).allowed()).isTrue();
        assertThat(bucket.tryAcquire(user).allowed()).isFalse();

        clock.advanceMillis(10 * 200);
        assertThat(acquire(bucket, user, 11)).filteredOn(RateLimitDecision::allowed).hasSize(10);
    }

    @Test
    void givesItsCallsTheFirstCallBudget_untilDynamoDbAnswers_thenTheClientsOwn() {
        AwsConfig aws = AwsConfig.from(Map.of("DYNAMODB_TIMEOUT_MS", "100", "DYNAMODB_FIRST_CALL_TIMEOUT_MS", "3000"));
        try (LatencyProxy late = LatencyProxy.start("127.0.0.1", TestDynamo.endpoint().getPort(), Duration.ofMillis(250));
             DynamoDbClient client = AwsClients.dynamoDb(new AwsConfig(aws.region(),
                     Optional.of(URI.create("http://127.0.0.1:" + late.port())), aws.dynamoDbTimeout(),
                     aws.dynamoDbFirstCallTimeout(), Optional.empty(), aws.sqsTimeout(), Optional.empty(),
                     Optional.empty()))) {
            DynamoDbTokenBucket bucket = new DynamoDbTokenBucket(client, table, Gcra.of(5, 10), clock,
                    AwsClients.firstCallBudget(aws.dynamoDbFirstCallTimeout()));

            // 250 ms late: within the first call's 3 s, past the warm 100 ms once DynamoDB has answered.
            assertThat(bucket.tryAcquire(user).allowed()).isTrue();
            assertThatThrownBy(() -> bucket.tryAcquire(user)).isInstanceOf(SdkClientException.class);
        }
    }

    @Test
    void givesRetryAfterFromTheStoredTat_whenLongRefused() {
        DynamoDbTokenBucket slow = new DynamoDbTokenBucket(dynamoDb, table, 0.25, 2, clock); // 4 s interval
        acquire(slow, user, 2);

        assertThat(slow.tryAcquire(user)).isEqualTo(RateLimitDecision.refuse(4));
        clock.advanceMillis(1_500);
        assertThat(slow.tryAcquire(user)).isEqualTo(RateLimitDecision.refuse(3));
    }

    @Test
    void sendsOneUpdateItem_whenTheBucketIsIdle() {
        assertThat(bucket.tryAcquire(user).allowed()).isTrue();
        assertThat(updateItems.reset()).isEqualTo(1);

        clock.advanceMillis(30_000);
        assertThat(bucket.tryAcquire(user).allowed()).isTrue();
        assertThat(updateItems.reset()).isEqualTo(1);
    }

    @Test
    void sendsOneUpdateItem_whenTheCacheKnowsTheBucketIsBusy() {
        bucket.tryAcquire(user);
        updateItems.reset();

        for (int i = 0; i < 9; i++) {
            assertThat(bucket.tryAcquire(user).allowed()).isTrue();
            assertThat(updateItems.reset()).isEqualTo(1);
        }
    }

    @Test
    void sendsNoUpdateItem_whenTheCacheAlreadyProvesTheRefusal() {
        drain(bucket, user);
        updateItems.reset();

        assertThat(bucket.tryAcquire(user)).isEqualTo(RateLimitDecision.refuse(1));
        assertThat(updateItems.count()).isZero();
    }

    @Test
    void sharesOneBucket_betweenTwoContainers() {
        DynamoDbTokenBucket other = newBucket(clock);

        assertThat(acquire(bucket, user, 6)).allMatch(RateLimitDecision::allowed);
        List<RateLimitDecision> fromOther = acquire(other, user, 6);
        assertThat(fromOther).filteredOn(RateLimitDecision::allowed).hasSize(4);
        assertThat(bucket.tryAcquire(user)).isEqualTo(RateLimitDecision.refuse(1));

        clock.advanceMillis(200);
        List<Boolean> nextInterval = List.of(
                bucket.tryAcquire(user).allowed(), other.tryAcquire(user).allowed(),
                bucket.tryAcquire(user).allowed(), other.tryAcquire(user).allowed());
        assertThat(nextInterval).containsOnlyOnce(true);
    }

    @Test
    void sendsTwoUpdateItems_onlyWhenABurstMovesToAContainerThatHasNotSeenIt() {
        acquire(bucket, user, 3);
        DynamoDbTokenBucket other = newBucket(clock);
        updateItems.reset();

        assertThat(other.tryAcquire(user).allowed()).isTrue();
        assertThat(updateItems.reset()).isEqualTo(2); // idle form refused, then busy form
        assertThat(other.tryAcquire(user).allowed()).isTrue();
        assertThat(updateItems.reset()).isEqualTo(1); // now its cache knows
    }

    @Test
    void keepsUsersApart() {
        drain(bucket, user);
        String neighbour = "learner-" + UUID.randomUUID();

        assertThat(acquire(bucket, neighbour, 10)).allMatch(RateLimitDecision::allowed);
    }

    @Test
    void storesTheTatAndAnExpiryThatOutlivesIt() {
        acquire(bucket, user, 3);

        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).key(Map.of(
                RateLimitTableSchema.PARTITION_KEY, AttributeValue.fromS(RateLimitTableSchema.partitionKeyOf(user)))))
                .item();
        long tat = Long.parseLong(item.get(RateLimitTableSchema.TAT_ATTRIBUTE).n());
        long expiresAt = Long.parseLong(item.get(RateLimitTableSchema.TTL_ATTRIBUTE).n());
        assertThat(tat).isEqualTo(START + 3 * 200);
        assertThat(expiresAt).isGreaterThan(tat / 1000).isLessThanOrEqualTo((START + 10 * 200) / 1000 + 61);
    }

    private static DynamoDbTokenBucket newBucket(Clock clock) {
        return new DynamoDbTokenBucket(dynamoDb, table, 5, 10, clock);
    }

    private static List<RateLimitDecision> acquire(RateLimiter limiter, String userId, int times) {
        List<RateLimitDecision> decisions = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            decisions.add(limiter.tryAcquire(userId));
        }
        return decisions;
    }

    private static void drain(RateLimiter limiter, String userId) {
        while (limiter.tryAcquire(userId).allowed()) {
            // take until the first refusal
        }
    }
}
