package dev.huddle.ingest;

import dev.huddle.ratelimit.RateLimitDecision;
import dev.huddle.ratelimit.RateLimiter;
import java.util.ArrayList;
import java.util.List;

/** Answers with a fixed decision (or failure) and records who asked. */
final class FakeRateLimiter implements RateLimiter {
    final List<String> users = new ArrayList<>();
    private RateLimitDecision decision = RateLimitDecision.allow();
    private RuntimeException failure;
    FakeRateLimiter refuse(int retryAfterSeconds) {
        decision = RateLimitDecision.refuse(retryAfterSeconds);
        return this;
    }

    FakeRateLimiter failWith(RuntimeException e) {
        failure = e;
        return this;
    }

    @Override
    public RateLimitDecision tryAcquire(String userId) {
        users.add(userId);
        if (failure != null) {
            throw failure;
        }
        return decision;
    }
}
