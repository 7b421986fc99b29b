package dev.huddle.ratelimit;

import dev.huddle.common.AwsClients;
import dev.huddle.common.Config;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Builds the production rate limiter, once per container. */
public final class RateLimiters {

    /**
     * How long DynamoDB is skipped after it failed: long enough that an outage costs one timeout every
     * few seconds, short enough that the shared limit is back soon after DynamoDB is.
     */
    static final Duration BREAKER_OPEN_FOR = Duration.ofSeconds(5);

    private RateLimiters() {
    }

    /** The DynamoDB token bucket of {@link Config#rateLimitTable()}, failing open (see package docs). */
    public static RateLimiter fromConfig(Config config) {
        return fromConfig(config, AwsClients.dynamoDb(config));
    }

    /** The same with a client the caller built (and reuses for other DynamoDB work). */
    public static RateLimiter fromConfig(Config config, DynamoDbClient dynamoDb) {
        Clock clock = Clock.systemUTC();
        Gcra gcra = Gcra.of(config.rateLimitPerSecond(), config.rateLimitBurst());
        return new FailOpenRateLimiter(
                new DynamoDbTokenBucket(dynamoDb, config.rateLimitTable(), gcra, clock),
                new LocalTokenBucket(gcra, clock),
                new DynamoDbDailyQuota(dynamoDb, config.rateLimitTable(), config.dailyQuotaEvents(),
                        config.dailyQuotaBytes(), clock),
                new CircuitBreaker(BREAKER_OPEN_FOR, clock),
                FallbackRecorder.emfTo(System.out, clock));
    }
}
