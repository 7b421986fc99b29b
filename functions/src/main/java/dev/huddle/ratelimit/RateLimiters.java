package dev.huddle.ratelimit;

import dev.huddle.common.AwsClients;
import dev.huddle.common.AwsConfig;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Builds the production rate limiter, once per container. */
public final class RateLimiters {

    /**
     * How long DynamoDB is skipped after it failed, on average (each period is drawn between 2.5 and 7.5 s,
     * see {@link CircuitBreaker#jittered}): long enough that an outage costs one timeout every few seconds,
     * short enough that the shared limit is back soon after DynamoDB is.
     */
    static final Duration BREAKER_OPEN_FOR = Duration.ofSeconds(5);

    private RateLimiters() {
    }

    /** The DynamoDB token bucket of {@link RateLimitConfig#table()}, failing open (see package docs). */
    public static RateLimiter fromConfig(RateLimitConfig config, AwsConfig aws) {
        DynamoDbClient dynamoDb = AwsClients.dynamoDb(aws);
        Clock clock = Clock.systemUTC();
        Gcra gcra = Gcra.of(config.perSecond(), config.burst());
        return new FailOpenRateLimiter(
                new DynamoDbTokenBucket(dynamoDb, config.table(), gcra, clock,
                        AwsClients.firstCallBudget(aws.dynamoDbFirstCallTimeout())),
                new LocalTokenBucket(gcra, clock),
                CircuitBreaker.jittered(BREAKER_OPEN_FOR, clock),
                FallbackRecorder.emfTo(System.out, clock));
    }
}
