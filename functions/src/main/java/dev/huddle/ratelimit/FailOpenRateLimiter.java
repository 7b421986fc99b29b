package dev.huddle.ratelimit;

import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The fault policy: <b>fail open</b> to a per-container in-memory bucket with the same limits when
 * DynamoDB cannot answer (unreachable, slow past the timeout, throttling, 5xx), and only then: a
 * validation or permission error is not an outage (see {@link #isUnavailability}).
 *
 * <p>Why open rather than closed: refusing every upload while DynamoDB is down would turn a
 * rate-limiter outage into an ingestion outage, and clients would queue events on learners' devices.
 * What is lost is exact fairness across containers, and it stays bounded: API Gateway stage throttling
 * caps the total, and the local bucket still caps one user per container. Only those
 * {@link SdkException}s fall back; a programming error propagates.
 *
 * <p>After a failure the {@link CircuitBreaker} skips DynamoDB for a few seconds, so a dead DynamoDB
 * adds its timeout to one request per period, not to every request. Every fallback answer is counted
 * ({@code RateLimiterFallback}).
 */
final class FailOpenRateLimiter implements RateLimiter {

    private final RateLimiter primary;
    private final RateLimiter fallback;
    private final CircuitBreaker breaker;
    private final FallbackRecorder recorder;

    FailOpenRateLimiter(RateLimiter primary, RateLimiter fallback, CircuitBreaker breaker,
            FallbackRecorder recorder) {
        this.primary = Objects.requireNonNull(primary, "primary == null");
        this.fallback = Objects.requireNonNull(fallback, "fallback == null");
        this.breaker = Objects.requireNonNull(breaker, "breaker == null");
        this.recorder = Objects.requireNonNull(recorder, "recorder == null");
    }

    @Override
    public RateLimitDecision tryAcquire(String userId) {
        return decide(() -> primary.tryAcquire(userId), () -> fallback.tryAcquire(userId));
    }

    /** Asks DynamoDB through the breaker; the fallback answers when it is open or DynamoDB is unavailable. */
    private RateLimitDecision decide(Supplier<RateLimitDecision> dynamoDb, Supplier<RateLimitDecision> fallbackCall) {
        if (!breaker.allowsCall()) {
            recorder.record(FallbackRecorder.Cause.CIRCUIT_OPEN, null);
            return fallbackCall.get();
        }
        try {
            RateLimitDecision decision = dynamoDb.get();
            breaker.recordSuccess();
            return decision;
        } catch (SdkException e) {
            if (!isUnavailability(e)) {
                throw e;
            }
            breaker.recordFailure();
            recorder.record(FallbackRecorder.Cause.DYNAMODB_ERROR, e.getClass().getSimpleName());
            return fallbackCall.get();
        }
    }

    /**
     * DynamoDB could not answer: no response at all (timeout, connection refused or reset: an
     * {@link SdkClientException}), throttling, or a 5xx. Any other service error (400 ValidationException,
     * ResourceNotFoundException, AccessDeniedException) is a fault of the request or the configuration that
     * the fallback would only hide, so it propagates and opens no breaker.
     */
    static boolean isUnavailability(SdkException e) {
        if (e instanceof SdkClientException) {
            return true;
        }
        return e instanceof AwsServiceException service
                && (service.isThrottlingException() || service.statusCode() >= 500);
    }
}
