package dev.huddle.ratelimit;

/** Admits or refuses one request of a user; implementations are thread-safe. */
public interface RateLimiter {

    RateLimitDecision tryAcquire(String userId);
}
