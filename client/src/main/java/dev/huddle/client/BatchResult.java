package dev.huddle.client;

import java.time.Duration;
import java.util.List;

/**
 * What one batch request came to.
 *
 * @param status the HTTP status, 0 when no answer arrived (network error, timeout)
 * @param outcome whether the server answered for the events (they leave the queue) or they must be retried
 * @param rejected the events refused for good (in an answered 200, or all of a refused request)
 * @param latency from sending to the answer (zero for a network error)
 * @param queueLag the server's {@code X-Client-Queue-Lag} (zero when absent)
 * @param retryAfter the server's {@code Retry-After} (zero when absent)
 */
record BatchResult(int status, Outcome outcome, List<RejectedEvent> rejected, Duration latency, Duration queueLag,
        Duration retryAfter) {

    enum Outcome {
        /** 200: every event was accepted, a duplicate, or rejected. */
        ANSWERED,
        /** A 4xx for the whole request (not 401 or 429): the events can never succeed as they are. */
        REFUSED,
        /**
         * 401, 429, 5xx or no answer: send the same events again later (after a 5xx some may be stored
         * already; they come back as duplicates).
         */
        RETRY
    }

    BatchResult {
        rejected = List.copyOf(rejected);
    }

    boolean answeredForEvents() {
        return outcome != Outcome.RETRY;
    }

    /** True when an HTTP answer arrived (it feeds the adaptive interval), false for a network error. */
    boolean hadHttpAnswer() {
        return status != 0;
    }

    static BatchResult networkError() {
        return new BatchResult(0, Outcome.RETRY, List.of(), Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }
}
