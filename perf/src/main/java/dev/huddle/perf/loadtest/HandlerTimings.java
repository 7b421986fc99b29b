package dev.huddle.perf.loadtest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The ingest handler's own figures as its answers carry them in {@code Server-Timing}
 * (https://www.w3.org/TR/server-timing/; the functions' dev.huddle.ingest.ServerTiming writes them where
 * {@code SERVER_TIMING=true}, which the local stack sets): {@code total;dur=4.210, cpu;dur=0.410, ...}, in
 * milliseconds. The generator runs in its own JVM and cannot see the handler's clocks; this header is how
 * they travel, per request, next to the latency the generator measures itself.
 */
final class HandlerTimings {
    static final String HEADER = "Server-Timing";

    /** The names the handler sends, in the order the summary prints them, with what each one measures. */
    static final Map<String, String> LABELS = labels();

    private HandlerTimings() {
    }

    private static Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("total", "handler total (wall)");
        labels.put("cpu", "handler thread CPU");
        labels.put("rateLimit", "rate limit + quota (DynamoDB)");
        labels.put("parse", "parse (gzip, JSON)");
        labels.put("validate", "validate");
        labels.put("db", "database call (PostgreSQL)");
        labels.put("fanOut", "rollup fan-out (SQS)");
        labels.put("respond", "respond (JSON)");
        return Collections.unmodifiableMap(labels);
    }

    /**
     * Each metric's duration in microseconds, by name, in the header's order; a metric without a
     * {@code dur} parameter, or with one that is not a number, is left out (the header is informative and must
     * never fail a run).
     */
    static Map<String, Long> micros(Optional<String> header) {
        Map<String, Long> micros = new LinkedHashMap<>();
        if (header.isEmpty()) {
            return micros;
        }
        for (String metric : header.get().split(",")) {
            String[] parts = metric.split(";");
            String name = parts[0].strip();
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].strip();
                if (parameter.startsWith("dur=") && !name.isEmpty()) {
                    parseMillis(parameter.substring(4)).ifPresent(ms -> micros.put(name, Math.round(ms * 1_000)));
                }
            }
        }
        return micros;
    }

    private static Optional<Double> parseMillis(String text) {
        try {
            double millis = Double.parseDouble(text.strip());
            return millis >= 0 && Double.isFinite(millis) ? Optional.of(millis) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
