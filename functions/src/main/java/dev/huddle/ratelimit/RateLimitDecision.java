package dev.huddle.ratelimit;

/**
 * The answer for one request: admitted, or refused with the whole seconds to wait (Retry-After, at
 * least 1).
 */
public record RateLimitDecision(boolean allowed, int retryAfterSeconds) {

    private static final RateLimitDecision ALLOWED = new RateLimitDecision(true, 0);

    public RateLimitDecision {
        if (!allowed && retryAfterSeconds < 1) {
            throw new IllegalArgumentException("retryAfterSeconds < 1 for a refusal: " + retryAfterSeconds);
        }
    }

    public static RateLimitDecision allow() {
        return ALLOWED;
    }

    public static RateLimitDecision refuse(int retryAfterSeconds) {
        return new RateLimitDecision(false, Math.max(1, retryAfterSeconds));
    }
}
