package dev.huddle.ratelimit;

/** Admits or refuses one request of a user; implementations are thread-safe. */
public interface RateLimiter {

    RateLimitDecision tryAcquire(String userId);

    /**
     * Charges a request's events and decoded body bytes to the user's daily quota, once the body is known
     * (the rate limit itself is decided before the body is read). The default has no quota.
     */
    default RateLimitDecision chargeDailyQuota(String userId, int events, long bytes) {
        return RateLimitDecision.allow();
    }
}
