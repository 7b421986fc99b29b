package dev.huddle.perf.loadtest;

import java.io.PrintStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;

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
        labels.put("rateLimit", "rate limit (DynamoDB)");
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

    /**
     * The handler's own figures next to the end-to-end latency of the same answers (the 200s): what our code
     * and its calls took inside the function, against what the generator saw. The difference is everything
     * outside the handler: the HTTP front, waiting for an execution environment, the network, and the cores
     * the emulators (dynalite, ElasticMQ, PostgreSQL) and the generator take from it.
     */
    static void print(PrintStream out, LatencyRecorder.Summary total) {
        if (total.handler().isEmpty()) {
            out.println("  Handler's own figures: none (the stack sent no Server-Timing header; the local stack sends"
                    + " it unless SERVER_TIMING=false)");
            return;
        }
        out.printf("  Handler's own figures (in-process, from the Server-Timing header of %,d answers of 200;%n"
                + "  they leave out the HTTP front, the network and the emulators' own work)%n",
                total.handler().values().stream().mapToLong(Histogram::getTotalCount).max().orElse(0));
        out.printf("    %-34s %9s %9s %9s   answers%n", "ms", "p50", "p95", "p99");
        printRow(out, "end to end (admitted, generator)", total.admitted());
        handlerRows(total).forEach((label, histogram) -> printRow(out, label, histogram));
    }

    private static void printRow(PrintStream out, String label, Histogram histogram) {
        out.printf("    %-34s %9.2f %9.2f %9.2f   %,d%n", label, LatencyRecorder.percentileMillis(histogram, 50), LatencyRecorder.percentileMillis(histogram, 95),
                LatencyRecorder.percentileMillis(histogram, 99), histogram.getTotalCount());
    }

    /** The handler's figures by label, in the order of {@link HandlerTimings#LABELS}, then any other by name. */
    private static Map<String, Histogram> handlerRows(LatencyRecorder.Summary total) {
        Map<String, Histogram> rows = new LinkedHashMap<>();
        LABELS.forEach((name, label) -> {
            if (total.handler().containsKey(name)) {
                rows.put(label, total.handler().get(name));
            }
        });
        total.handler().forEach((name, histogram) -> {
            if (!LABELS.containsKey(name)) {
                rows.put(name, histogram);
            }
        });
        return rows;
    }

    /** {@code {"total": {"p50Ms": .., "p95Ms": .., "p99Ms": .., "answers": ..}, "cpu": ...}} by Server-Timing name. */
    static Map<String, Object> json(LatencyRecorder.Summary total) {
        Map<String, Object> json = new LinkedHashMap<>();
        total.handler().forEach((name, histogram) -> {
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("p50Ms", round2(LatencyRecorder.percentileMillis(histogram, 50)));
            figures.put("p95Ms", round2(LatencyRecorder.percentileMillis(histogram, 95)));
            figures.put("p99Ms", round2(LatencyRecorder.percentileMillis(histogram, 99)));
            figures.put("answers", histogram.getTotalCount());
            json.put(name, figures);
        });
        return json;
    }

    private static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
