package dev.huddle.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * What one batch request came to.
 *
 * @param status the HTTP status, 0 when no answer arrived (network error, timeout)
 * @param outcome whether the server gave a verdict on every event (they leave the queue) or they are kept
 * @param rejected the events refused for good (in an answered 200, or all of a refused request)
 * @param error why the events were kept, for {@code onError} (null when they leave the queue)
 * @param latency from sending to the answer (zero for a network error)
 * @param queueLag the server's {@code X-Client-Queue-Lag} (zero when absent)
 * @param retryAfter the server's {@code Retry-After} (zero when absent)
 */
record BatchResult(int status, Outcome outcome, List<RejectedEvent> rejected, String error, Duration latency,
        Duration queueLag, Duration retryAfter) {

    enum Outcome {
        /** A contract-shaped 200 that lists every event as accepted, a duplicate, or rejected. */
        ANSWERED,
        /** 400, 413 or 415 with the contract's error: the events can never succeed as they are. */
        REFUSED,
        /** 403 or 404: kept and retried; when it persists the queue pauses (see {@link QueueSender}). */
        BLOCKED,
        /**
         * Any other answer, or none: kept; send the same events again later (after a 5xx some may be stored
         * already; they come back as duplicates).
         */
        RETRY
    }

    BatchResult {
        rejected = List.copyOf(rejected);
    }

    static BatchResult answered(List<RejectedEvent> rejected, Duration latency, Duration queueLag,
            Duration retryAfter) {
        return new BatchResult(200, Outcome.ANSWERED, rejected, null, latency, queueLag, retryAfter);
    }

    /** The events stay queued; {@code error} says why. */
    static BatchResult kept(int status, Outcome outcome, String error, Duration latency, Duration queueLag,
            Duration retryAfter) {
        return new BatchResult(status, outcome, List.of(), error, latency, queueLag, retryAfter);
    }

    static BatchResult networkError(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String detail = cause.getMessage() == null ? "" : ": " + cause.getMessage();
        return kept(0, Outcome.RETRY, "no answer (" + cause.getClass().getSimpleName() + detail + ")", Duration.ZERO,
                Duration.ZERO, Duration.ZERO);
    }

    boolean answeredForEvents() {
        return outcome == Outcome.ANSWERED || outcome == Outcome.REFUSED;
    }

    /** True when an HTTP answer arrived (it feeds the adaptive interval), false for a network error. */
    boolean hadHttpAnswer() {
        return status != 0;
    }
}
