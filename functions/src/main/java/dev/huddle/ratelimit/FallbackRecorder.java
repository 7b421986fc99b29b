package dev.huddle.ratelimit;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.huddle.common.Json;
import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Counts the requests that the in-memory bucket answered instead of DynamoDB. */
@FunctionalInterface
interface FallbackRecorder {

    enum Cause {
        /** DynamoDB failed this request (timeout, connection refused, throttling, 5xx...). */
        DYNAMODB_ERROR,
        /** DynamoDB was skipped: it failed moments ago and the circuit breaker is open. */
        CIRCUIT_OPEN
    }

    void record(Cause cause, String errorType);

    /**
     * One CloudWatch embedded-metric-format line per fallback answer on stdout (Lambda ships it to
     * CloudWatch Logs, which extracts metric {@code RateLimiterFallback}, dimension {@code cause}).
     * The line names the error's type, never a user or a message.
     */
    static FallbackRecorder emfTo(PrintStream out, Clock clock) {
        return (cause, errorType) -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("_aws", Map.of(
                    "Timestamp", clock.millis(),
                    "CloudWatchMetrics", List.of(Map.of(
                            "Namespace", "HuddleIngest",
                            "Dimensions", List.of(List.of("cause")),
                            "Metrics", List.of(Map.of("Name", "RateLimiterFallback", "Unit", "Count"))))));
            line.put("event", "RateLimiterFallback");
            line.put("cause", cause.name().toLowerCase(Locale.ROOT));
            if (errorType != null) {
                line.put("errorType", errorType);
            }
            line.put("RateLimiterFallback", 1);
            try {
                out.println(Json.mapper().writeValueAsString(line));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a map of strings and numbers did not serialize", e);
            }
        };
    }
}
