package dev.huddle.perf.loadtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the functions' own log lines say about the measured run: how many rate-limit decisions
 * the in-memory fallback made instead of DynamoDB (the {@code RateLimiterFallback} metric, by cause and
 * error), and how many rollup fan-out sends were made and how many failed. A run whose limiter mostly fell back measured a
 * different request path than the one AWS runs (no DynamoDB round trip), so the report must say so.
 *
 * <p>Only the lines whose embedded-metric timestamp lies in the measured window count, so the warm-up's
 * are left out.
 */
record StackLogCounts(long ingestAnswers, long fallbackDecisions, Map<String, Long> fallbacksByReason,
        long fanOutSends, long fanOutSendFailures) {
    /** The event name of the rate limiter's fallback record (dev.huddle.ratelimit.FallbackRecorder). */
    private static final String FALLBACK_EVENT = "RateLimiterFallback";
    /** The message of the ingest handler's one line per request (dev.huddle.ingest.IngestTelemetry). */
    private static final String INGEST_MESSAGE = "ingest request";
    /** The metric of a failed rollup fan-out send (dev.huddle.rollup.RollupJobQueue). */
    private static final String FAN_OUT_FAILURES = "rollupSendFailures";
    /** The ingest line's time in the fan-out send, there only when the request sent (dev.huddle.ingest.CostFigure). */
    private static final String FAN_OUT_SEND = "fanOutMicros";

    static StackLogCounts read(Path functionLog, long fromEpochMillis, long toEpochMillis) {
        long answers = 0;
        long fallbacks = 0;
        long fanOutSends = 0;
        long fanOutFailures = 0;
        Map<String, Long> reasons = new TreeMap<>();
        try (BufferedReader lines = Files.newBufferedReader(functionLog)) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (!line.contains(INGEST_MESSAGE) && !line.contains(FALLBACK_EVENT)
                        && !line.contains(FAN_OUT_FAILURES)) {
                    continue;
                }
                JsonNode entry = jsonIn(line);
                if (entry == null) {
                    continue;
                }
                long at = entry.path("_aws").path("Timestamp").asLong();
                if (at < fromEpochMillis || at > toEpochMillis) {
                    continue;
                }
                if (isFallback(entry)) {
                    fallbacks++;
                    String reason = entry.path("cause").asText()
                            + (entry.has("errorType") ? " (" + entry.get("errorType").asText() + ")" : "");
                    reasons.merge(reason, 1L, Long::sum);
                } else if (INGEST_MESSAGE.equals(entry.path("message").asText())) {
                    answers++;
                    fanOutSends += entry.has(FAN_OUT_SEND) ? 1 : 0;
                } else {
                    fanOutFailures += entry.path(FAN_OUT_FAILURES).asLong();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the functions' log " + functionLog, e);
        }
        return new StackLogCounts(answers, fallbacks, reasons, fanOutSends, fanOutFailures);
    }

    /** The rate limiter's fallback record in a log line (FallbackRecorder's EMF line), if the line holds one. */
    static Optional<JsonNode> fallbackRecord(String line) {
        return line.contains(FALLBACK_EVENT) ? Optional.ofNullable(jsonIn(line)).filter(StackLogCounts::isFallback)
                : Optional.empty();
    }

    private static boolean isFallback(JsonNode entry) {
        return FALLBACK_EVENT.equals(entry.path("event").asText());
    }

    /**
     * The JSON object in a log line, or null: the stack's startup messages share its stdout, so a line may
     * start with one of them ("[8/8] Functions and HTTP API ... {...").
     */
    private static JsonNode jsonIn(String line) {
        int start = line.indexOf('{');
        try {
            return start < 0 ? null : Json.mapper().readTree(line.substring(start));
        } catch (JsonProcessingException notJson) {
            return null;
        }
    }

    void print(PrintStream out) {
        out.printf("  From the functions' log (measured run only)%n");
        out.printf("    ingest answers logged          %,12d%n", ingestAnswers);
        out.printf("    rate limiter fell back         %,12d   decisions (one per answer at most)"
                + " made in memory, not in DynamoDB%n", fallbackDecisions);
        fallbacksByReason.forEach((reason, count) -> out.printf("      %-28s %,12d%n", reason, count));
        if (fallbackDecisions > 0) {
            out.printf("    NOTE: %.2f fallback decisions per answer: those requests took no DynamoDB round trip, so"
                    + " their latency is not what AWS would show%n", (double) fallbackDecisions / Math.max(1, ingestAnswers));
        }
        out.printf("    rollup fan-out sends           %,12d   (one per org and bucket: the request that claimed it)%n",
                fanOutSends);
        out.printf("    rollup fan-out sends failed    %,12d%n", fanOutSendFailures);
    }

    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("ingestAnswers", ingestAnswers);
        json.put("rateLimiterFallbacks", fallbackDecisions);
        json.put("fallbacksByReason", fallbacksByReason);
        json.put("fanOutSends", fanOutSends);
        json.put("fanOutSendFailures", fanOutSendFailures);
        return json;
    }
}
