package dev.huddle.ratelimit;

import static dev.huddle.ratelimit.RateLimitTableSchema.PARTITION_KEY;
import static dev.huddle.ratelimit.RateLimitTableSchema.TTL_ATTRIBUTE;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * A learner's daily quota of events and bytes (UTC day), in the rate-limit table: one counter item per
 * learner and day ({@code quota#<sub>#<day>}), changed by one conditional {@code UpdateItem} that adds the
 * request's events and bytes only while both stay within the quota. A refusal is a {@code 429
 * daily_quota_exceeded} with Retry-After up to the next UTC midnight.
 *
 * <h2>Why a separate item, not the token bucket's UpdateItem</h2>
 * The bucket is decided before the body is read (a refused request must cost no parsing), but the quota
 * needs the body's event count and size, so the two cannot share a call without parsing every refused
 * body. A shared item would also need a condition that tells which limit failed, and dynalite (the local
 * DynamoDB) ignores {@code ReturnValuesOnConditionCheckFailure}, so the answer could not say whether to
 * retry in a second or tomorrow. The cost is a second write per admitted request (one more WRU, see the
 * README's cost table). The counters count what learners sent, also events later rejected: the quota
 * bounds the work and the storage one account can cause. When DynamoDB cannot answer, the quota is not
 * enforced for that request ({@link FailOpenRateLimiter}), as the bucket falls back.
 */
final class DynamoDbDailyQuota {
    private static final String EVENTS = "events";
    private static final String BYTES = "bytes";
    private static final String UPDATE = "ADD #events :events, #bytes :bytes SET #exp = :expiresAt";
    private static final String CONDITION =
            "attribute_not_exists(#events) OR (#events <= :eventsLeft AND #bytes <= :bytesLeft)";
    private static final Map<String, String> NAMES = Map.of("#events", EVENTS, "#bytes", BYTES, "#exp", TTL_ATTRIBUTE);
    /** The counter outlives its day by one, so a late request near midnight never sees a reset early. */
    private static final Duration KEEP_AFTER_DAY = Duration.ofDays(1);

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final int maxEvents;
    private final long maxBytes;
    private final Clock clock;

    public DynamoDbDailyQuota(DynamoDbClient dynamoDb, String tableName, int maxEvents, long maxBytes, Clock clock) {
        if (maxEvents < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("daily quota must be positive: " + maxEvents + " events, "
                    + maxBytes + " bytes");
        }
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb == null");
        this.tableName = Objects.requireNonNull(tableName, "tableName == null");
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    /** Adds the request to today's counters, or refuses it when either would pass its quota. */
    public RateLimitDecision charge(String userId, int events, long bytes) {
        Instant now = clock.instant();
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Instant nextDay = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        int untilNextDay = (int) Math.max(1, Duration.between(now, nextDay).toSeconds() + 1);
        if (events > maxEvents || bytes > maxBytes) {
            return RateLimitDecision.refuse(untilNextDay);
        }
        UpdateItemRequest request = UpdateItemRequest.builder()
                .tableName(tableName)
                .key(Map.of(PARTITION_KEY, AttributeValue.fromS("quota#" + userId + "#" + day)))
                .updateExpression(UPDATE)
                .conditionExpression(CONDITION)
                .expressionAttributeNames(NAMES)
                .expressionAttributeValues(Map.of(
                        ":events", number(events),
                        ":bytes", number(bytes),
                        ":eventsLeft", number(maxEvents - events),
                        ":bytesLeft", number(maxBytes - bytes),
                        ":expiresAt", number(nextDay.plus(KEEP_AFTER_DAY).getEpochSecond())))
                .build();
        try {
            dynamoDb.updateItem(request);
            return RateLimitDecision.allow();
        } catch (ConditionalCheckFailedException overQuota) {
            return RateLimitDecision.refuse(untilNextDay);
        }
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
