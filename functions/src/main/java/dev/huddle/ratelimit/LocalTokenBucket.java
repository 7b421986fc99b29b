package dev.huddle.ratelimit;

import java.time.Clock;
import java.util.Objects;

/**
 * The same token bucket as {@link DynamoDbTokenBucket}, held in this container's memory. It is the
 * fallback while DynamoDB cannot answer: it still bounds what one user can do through one container,
 * though a user whose requests spread over N containers gets up to N times the limit.
 */
final class LocalTokenBucket implements RateLimiter {

    static final int MAX_USERS = 10_000;

    private final Gcra gcra;
    private final Clock clock;
    private final TatCache tats = new TatCache(MAX_USERS);

    LocalTokenBucket(Gcra gcra, Clock clock) {
        this.gcra = Objects.requireNonNull(gcra, "gcra == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    @Override
    public RateLimitDecision tryAcquire(String userId) {
        Objects.requireNonNull(userId, "userId == null");
        long now = clock.millis();
        return tats.update(userId, tat -> gcra.admits(tat, now)
                ? new TatCache.Update.Result<>(gcra.afterAdmission(tat, now), RateLimitDecision.allow())
                : new TatCache.Update.Result<>(tat, RateLimitDecision.refuse(gcra.retryAfterSeconds(tat, now))));
    }
}
