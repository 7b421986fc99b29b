package dev.huddle.perf.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What {@code coldstart} reads from the probe JVM's output besides its result line. */
class ProbeJvmTest {

    /** A line as the rate limiter's FallbackRecorder prints it (dev.huddle.ratelimit), from a probe run. */
    private static final String FALLBACK_LINE = "{\"_aws\":{\"Timestamp\":1796226407199,\"CloudWatchMetrics\":[{"
            + "\"Namespace\":\"HuddleIngest\",\"Metrics\":[{\"Name\":\"RateLimiterFallback\",\"Unit\":\"Count\"}],"
            + "\"Dimensions\":[[\"cause\"]]}]},\"event\":\"RateLimiterFallback\",\"cause\":\"dynamodb_error\","
            + "\"errorType\":\"ApiCallTimeoutException\",\"RateLimiterFallback\":1}";

    @Test
    void readsTheCauseOfARateLimiterFallbackLine() {
        assertThat(ProbeJvm.fallbackCause(FALLBACK_LINE)).contains("dynamodb_error");
    }

    @Test
    void ignoresEveryOtherLine_evenOneThatMentionsTheFallback() {
        assertThat(ProbeJvm.fallbackCause("{\"level\":\"INFO\",\"message\":\"ingest request\",\"status\":200}"))
                .isEmpty();
        assertThat(ProbeJvm.fallbackCause("{\"event\":\"other\",\"note\":\"RateLimiterFallback\"}")).isEmpty();
        assertThat(ProbeJvm.fallbackCause("{\"event\":\"RateLimiterFallback\", truncated")).isEmpty();
        assertThat(ProbeJvm.fallbackCause("SLF4J(W): RateLimiterFallback")).isEmpty();
    }
}
