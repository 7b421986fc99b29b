package dev.huddle.ratelimit;

import static dev.huddle.ratelimit.RateLimitTableSchema.PARTITION_KEY;
import static dev.huddle.ratelimit.RateLimitTableSchema.TAT_ATTRIBUTE;
import static dev.huddle.ratelimit.RateLimitTableSchema.TTL_ATTRIBUTE;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * A per-user token bucket in DynamoDB, shared by every container: GCRA (see {@link Gcra}) on one
 * number per user, changed only by conditional {@code UpdateItem}s, which DynamoDB applies atomically
 * per item — so concurrent requests of one user, in any container, can never admit more than the
 * bucket allows.
 *
 * <h2>One call per request</h2>
 * Update expressions have {@code +} but no {@code max()}, so one expression cannot compute
 * {@code max(tat, now) + interval}. The two cases get one form each, with conditions that split the
 * number line between them:
 * <ul>
 *   <li>idle form, {@code tat < now}: {@code SET tat = :now + interval}, always admissible;</li>
 *   <li>busy form, {@code now <= tat <= now + tolerance}: {@code SET tat = tat + :interval};</li>
 *   <li>{@code tat > now + tolerance}: refused.</li>
 * </ul>
 * {@code tat} only grows, so the last value this container saw for a user is a lower bound of the
 * stored one. This class picks the form from that cache:
 * <ul>
 *   <li>cached {@code tat > now + tolerance}: certainly refused — answered with <b>no call</b> (an
 *       improvement on "one call": a client hammering through a warm container costs DynamoDB
 *       nothing while it is refused);</li>
 *   <li>cached {@code tat >= now}: certainly busy — the busy form, one call; if its condition fails the
 *       bucket is certainly over the limit;</li>
 *   <li>otherwise (no entry, or in the past): the idle form, one call — a user posting every few seconds
 *       is idle nearly always. If it fails, the bucket is busy: the busy form follows. That second call
 *       happens only when a burst moves between containers, and is skipped when DynamoDB returned the
 *       item with the failure ({@code ReturnValuesOnConditionCheckFailure=ALL_OLD}) and the item shows
 *       the request over the limit. dynalite ignores that option; the code does not depend on it.</li>
 * </ul>
 * Retry-After comes from the best {@code tat} known (the returned item, else the cache, else "just
 * over the limit" = 1 s); a lower bound can only make it early, and an early retry gets another 429.
 *
 * <p>Each call is bounded by the client's timeout; the rare two-call case can take up to twice that.
 * DynamoDB errors other than the condition failing propagate as {@code SdkException}: the fault policy
 * is {@link FailOpenRateLimiter}'s job. Each write also sets {@value RateLimitTableSchema#TTL_ATTRIBUTE}
 * to a minute after the latest {@code tat} it can produce, so TTL never deletes a bucket that is not
 * full yet.
 */
final class DynamoDbTokenBucket implements RateLimiter {

    static final int MAX_CACHED_USERS = 10_000;
    private static final long TTL_MARGIN_SECONDS = 60;

    private static final String IDLE_UPDATE = "SET #tat = :newTat, #exp = :expiresAt";
    private static final String IDLE_CONDITION = "attribute_not_exists(#tat) OR #tat < :now";
    private static final String BUSY_UPDATE = "SET #tat = #tat + :interval, #exp = :expiresAt";
    private static final String BUSY_CONDITION = "#tat BETWEEN :now AND :latest";
    private static final Map<String, String> NAMES = Map.of("#tat", TAT_ATTRIBUTE, "#exp", TTL_ATTRIBUTE);

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final Gcra gcra;
    private final Clock clock;
    private final TatCache knownTats = new TatCache(MAX_CACHED_USERS);
    /** The budget of the calls before the first answer (see {@link #attempt}); null: the client's own. */
    private final AwsRequestOverrideConfiguration firstCallBudget;
    private volatile boolean answeredOnce;

    public DynamoDbTokenBucket(DynamoDbClient dynamoDb, String tableName, double ratePerSecond, int burst,
            Clock clock) {
        this(dynamoDb, tableName, Gcra.of(ratePerSecond, burst), clock);
    }

    DynamoDbTokenBucket(DynamoDbClient dynamoDb, String tableName, Gcra gcra, Clock clock) {
        this(dynamoDb, tableName, gcra, clock, null);
    }

    /** {@code firstCallBudget}: the budget of the calls until DynamoDB has answered once (null: the client's). */
    DynamoDbTokenBucket(DynamoDbClient dynamoDb, String tableName, Gcra gcra, Clock clock,
            AwsRequestOverrideConfiguration firstCallBudget) {
        this.firstCallBudget = firstCallBudget;
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb == null");
        this.tableName = Objects.requireNonNull(tableName, "tableName == null");
        this.gcra = Objects.requireNonNull(gcra, "gcra == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    @Override
    public RateLimitDecision tryAcquire(String userId) {
        Objects.requireNonNull(userId, "userId == null");
        long now = clock.millis();
        long known = knownTats.get(userId);
        if (known > gcra.latestAdmissibleTat(now)) {
            return refuse(userId, known, now);
        }
        if (known >= now) {
            return tryBusyForm(userId, now, known);
        }
        Attempt idle = attempt(idleForm(userId, now));
        if (idle.admitted()) {
            knownTats.raise(userId, now + gcra.intervalMillis());
            return RateLimitDecision.allow();
        }
        // The idle condition failed, so the stored tat is >= now.
        long lowerBound = Math.max(now, idle.storedTat().orElse(now));
        if (lowerBound > gcra.latestAdmissibleTat(now)) {
            return refuse(userId, lowerBound, now);
        }
        return tryBusyForm(userId, now, lowerBound);
    }

    /** Sends the busy form, knowing that the stored tat is at least {@code lowerBound} (>= now). */
    private RateLimitDecision tryBusyForm(String userId, long now, long lowerBound) {
        Attempt busy = attempt(busyForm(userId, now));
        if (busy.admitted()) {
            knownTats.raise(userId, busy.storedTat().orElse(lowerBound + gcra.intervalMillis()));
            return RateLimitDecision.allow();
        }
        // tat >= now and the BETWEEN failed: tat > now + tolerance, whatever else we learned.
        long overLimit = gcra.latestAdmissibleTat(now) + 1;
        return refuse(userId, Math.max(overLimit, Math.max(lowerBound, busy.storedTat().orElse(overLimit))), now);
    }

    private RateLimitDecision refuse(String userId, long tat, long now) {
        knownTats.raise(userId, tat);
        return RateLimitDecision.refuse(gcra.retryAfterSeconds(tat, now));
    }

    private UpdateItemRequest idleForm(String userId, long now) {
        return request(userId, IDLE_UPDATE, IDLE_CONDITION, Map.of(
                ":newTat", number(now + gcra.intervalMillis()),
                ":now", number(now),
                ":expiresAt", number(expiresAt(now))));
    }

    private UpdateItemRequest busyForm(String userId, long now) {
        return request(userId, BUSY_UPDATE, BUSY_CONDITION, Map.of(
                ":interval", number(gcra.intervalMillis()),
                ":now", number(now),
                ":latest", number(gcra.latestAdmissibleTat(now)),
                ":expiresAt", number(expiresAt(now))));
    }

    private UpdateItemRequest request(String userId, String update, String condition,
            Map<String, AttributeValue> values) {
        return UpdateItemRequest.builder()
                .tableName(tableName)
                .key(Map.of(PARTITION_KEY, AttributeValue.fromS(RateLimitTableSchema.partitionKeyOf(userId))))
                .updateExpression(update)
                .conditionExpression(condition)
                .expressionAttributeNames(NAMES)
                .expressionAttributeValues(values)
                .returnValues(ReturnValue.UPDATED_NEW)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build();
    }

    /** An upper bound of any tat written at {@code now}, in epoch seconds, plus a margin. */
    private long expiresAt(long now) {
        long latestNewTat = gcra.latestAdmissibleTat(now) + gcra.intervalMillis();
        return Math.ceilDiv(latestNewTat, 1000L) + TTL_MARGIN_SECONDS;
    }

    /**
     * One UpdateItem. Until DynamoDB has answered once, with the first call's budget: that call loads the SDK's
     * request path and opens the connection, which the warm budget (100 ms) would not cover in a fresh JVM.
     */
    private Attempt attempt(UpdateItemRequest request) {
        UpdateItemRequest sent = answeredOnce || firstCallBudget == null ? request
                : request.toBuilder().overrideConfiguration(firstCallBudget).build();
        UpdateItemResponse response;
        try {
            response = dynamoDb.updateItem(sent);
        } catch (ConditionalCheckFailedException refused) {
            answeredOnce = true;
            return new Attempt(false, tatOf(refused.hasItem() ? refused.item() : Map.of()));
        } catch (SdkException e) {
            throw e;
        } catch (RuntimeException e) {
            throw httpClientFailure(e);
        }
        answeredOnce = true;
        return new Attempt(true, tatOf(response.hasAttributes() ? response.attributes() : Map.of()));
    }

    /**
     * A failure of the call that is not the SDK's own exception: the HTTP client breaking, not DynamoDB refusing
     * and not our code. The JDK's HttpURLConnection throws a NullPointerException, bare or wrapped, when the
     * SDK's timeout aborts its connection mid-call; the URL-connection client lets some of these out
     * (aws-sdk-java-v2 issues 4393 and 4527). One reached the load generator as a 500 in {@code loadtest --rate 2000}
     * (docs/PERFORMANCE.md). As an {@link SdkClientException} it is what it is, DynamoDB not answering, and the
     * fault policy falls back as for a timeout.
     */
    private static SdkClientException httpClientFailure(RuntimeException e) {
        return SdkClientException.builder()
                .message("DynamoDB call failed in the HTTP client: " + e.getClass().getName())
                .cause(e)
                .build();
    }

    private static OptionalLong tatOf(Map<String, AttributeValue> item) {
        AttributeValue tat = item == null ? null : item.get(TAT_ATTRIBUTE);
        return tat == null || tat.n() == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(tat.n()));
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    /** What one UpdateItem did, and the tat it showed (new on success, old on failure) when it did. */
    private record Attempt(boolean admitted, OptionalLong storedTat) {
    }
}
