package dev.huddle.perf.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackLogCountsTest {
    @TempDir
    Path directory;

    @Test
    void countsTheMeasuredWindowsAnswers_fallbacksByReason_andFanOutSendsMadeAndFailed() throws Exception {
        Path log = directory.resolve("functions.log");
        Files.write(log, List.of(
                "[1/8] PostgreSQL 17 (embedded) ... ready in 1.7 s",
                ingest(999), ingest(1_000), "[8/8] Functions and HTTP API ... " + ingest(1_500), ingest(2_001),
                sentFanOut(998), sentFanOut(1_600), sentFanOut(1_700),
                "{\"message\":\"ingest request\", cut off by a crash",
                fallback(1_100, "circuit_open", null),
                fallback(1_200, "circuit_open", null),
                fallback(1_300, "dynamodb_error", "ApiCallTimeoutException"),
                fallback(5_000, "dynamodb_error", "ApiCallTimeoutException"),
                "{\"operation\":\"fanOut\",\"rollupSendFailures\":1.0,\"failure\":\"ApiCallTimeoutException\","
                        + "\"orgs\":1,\"_aws\":{\"Timestamp\":1400}}",
                "not json at all, from a library"));

        StackLogCounts counts = StackLogCounts.read(log, 1_000, 2_000);

        assertThat(counts.ingestAnswers()).isEqualTo(4);
        assertThat(counts.fanOutSends()).as("the answers of the window whose request sent its org's job").isEqualTo(2);
        assertThat(counts.fallbackDecisions()).isEqualTo(3);
        assertThat(counts.fallbacksByReason()).containsExactly(Map.entry("circuit_open", 2L),
                Map.entry("dynamodb_error (ApiCallTimeoutException)", 1L));
        assertThat(counts.fanOutSendFailures()).isEqualTo(1);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        counts.print(new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("rate limiter fell back", "circuit_open",
                "rollup fan-out sends");
    }

    private static String ingest(long at) {
        return "{\"level\":\"INFO\",\"message\":\"ingest request\",\"status\":200,\"_aws\":{\"Timestamp\":" + at + "}}";
    }

    private static String sentFanOut(long at) {
        return "{\"level\":\"INFO\",\"message\":\"ingest request\",\"status\":200,\"dbMicros\":900,"
                + "\"fanOutMicros\":1200,\"_aws\":{\"Timestamp\":" + at + "}}";
    }

    private static String fallback(long at, String cause, String errorType) {
        return "{\"_aws\":{\"Timestamp\":" + at + "},\"event\":\"RateLimiterFallback\",\"cause\":\"" + cause + "\""
                + (errorType == null ? "" : ",\"errorType\":\"" + errorType + "\"") + ",\"RateLimiterFallback\":1}";
    }
}
