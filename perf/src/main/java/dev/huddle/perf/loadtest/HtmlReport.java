package dev.huddle.perf.loadtest;

import dev.huddle.common.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The run as one self-contained HTML file (no network: the charts are drawn by inline JavaScript on a
 * canvas): latency over time (p50/p95/p99 and answers per second of intended send time) and a latency
 * histogram. The figures are embedded as one JSON object written by Jackson.
 */
final class HtmlReport {
    private static final String TEMPLATE = "report-template.html";
    private static final String DATA_MARKER = "/*DATA*/null";

    private HtmlReport() {
    }

    static void write(Path file, String title, Map<String, Object> summary, LatencyRecorder.Summary answers,
            List<Map<String, Object>> markers, List<Map<String, Object>> steps) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("title", title);
        data.put("summary", summary);
        data.put("perSecond", perSecond(answers.perSecond()));
        data.put("histogram", histogram(answers.latency()));
        data.put("markers", markers);
        data.put("steps", steps);
        try {
            // '<' escaped so no value can end the script element.
            String json = Json.mapper().writeValueAsString(data).replace("<", "\\u003c");
            String html = template().replace(DATA_MARKER, json);
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, html, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report " + file, e);
        }
    }

    private static List<Map<String, Object>> perSecond(Map<Long, Histogram> perSecond) {
        List<Map<String, Object>> rows = new ArrayList<>();
        perSecond.forEach((second, histogram) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("t", second);
            row.put("n", histogram.getTotalCount());
            row.put("p50", LatencyRecorder.percentileMillis(histogram, 50));
            row.put("p95", LatencyRecorder.percentileMillis(histogram, 95));
            row.put("p99", LatencyRecorder.percentileMillis(histogram, 99));
            row.put("max", histogram.getMaxValue() / 1000.0);
            rows.add(row);
        });
        return rows;
    }

    /** Counts in logarithmic buckets (each twice as wide as the one before, from 0.25 ms). */
    private static List<Map<String, Object>> histogram(Histogram latency) {
        List<Map<String, Object>> buckets = new ArrayList<>();
        if (latency.getTotalCount() == 0) {
            return buckets;
        }
        for (HistogramIterationValue bucket : latency.logarithmicBucketValues(250, 2.0)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("upToMs", bucket.getValueIteratedTo() / 1000.0);
            row.put("n", bucket.getCountAddedInThisIterationStep());
            buckets.add(row);
        }
        return buckets;
    }

    private static String template() throws IOException {
        try (InputStream in = HtmlReport.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException("report template missing from the jar: " + TEMPLATE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
