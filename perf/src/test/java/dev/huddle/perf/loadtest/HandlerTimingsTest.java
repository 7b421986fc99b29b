package dev.huddle.perf.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handler's Server-Timing figures: read per answer, kept per figure, printed next to end-to-end latency. */
class HandlerTimingsTest {
    @TempDir
    Path directory;

    @Test
    void readsEachDurationInMicros_inTheHeadersOrder() {
        Map<String, Long> micros = HandlerTimings.micros(Optional.of(
                "total;dur=4.210, cpu;dur=0.41,db;desc=\"PostgreSQL\";dur=3.2, fanOut;dur=0.000"));

        assertThat(micros).containsExactly(Map.entry("total", 4_210L), Map.entry("cpu", 410L),
                Map.entry("db", 3_200L), Map.entry("fanOut", 0L));
    }

    @Test
    void skipsWhatIsNotADuration_andReadsNothingWithoutTheHeader() {
        assertThat(HandlerTimings.micros(Optional.of("miss, db;dur=abc, cpu;dur=-1, ;dur=3, total;dur=2")))
                .containsExactly(Map.entry("total", 2_000L));
        assertThat(HandlerTimings.micros(Optional.empty())).isEmpty();
    }

    @Test
    void printsTheHandlersPercentilesNextToEndToEndLatency_inTheSummaryAndTheJsonLine() throws Exception {
        LatencyRecorder recorder = new LatencyRecorder();
        for (int i = 1; i <= 100; i++) {
            recorder.answer(0, Duration.ofMillis(20 + i).toNanos(), "200");
            recorder.outcomes(5, 0, 0, false);
            recorder.handlerTimings(HandlerTimings.micros(Optional.of(
                    "total;dur=" + (5 + i / 10.0) + ", cpu;dur=" + i / 100.0 + ", db;dur=3")));
        }

        JsonNode json = print(recorder);

        assertThat(json.path("handler").path("cpu").path("p50Ms").asDouble()).isEqualTo(0.5);
        assertThat(json.path("handler").path("cpu").path("p99Ms").asDouble()).isEqualTo(0.99);
        assertThat(json.path("handler").path("total").path("p95Ms").asDouble()).isEqualTo(14.5);
        assertThat(json.path("handler").path("db").path("answers").asLong()).isEqualTo(100);
        assertThat(json.path("handler").has("fanOut")).isFalse();
        assertThat(printed).contains("Handler's own figures (in-process", "end to end (admitted, generator)",
                "handler thread CPU", "database call (PostgreSQL)");
    }

    @Test
    void saysSo_whenTheStackSentNoFigures() throws Exception {
        LatencyRecorder recorder = new LatencyRecorder();
        recorder.answer(0, Duration.ofMillis(20).toNanos(), "200");
        recorder.outcomes(5, 0, 0, false);
        recorder.handlerTimings(HandlerTimings.micros(Optional.empty()));

        JsonNode json = print(recorder);

        assertThat(json.has("handler")).isFalse();
        assertThat(printed).contains("Handler's own figures: none");
    }

    private String printed;

    private JsonNode print(LatencyRecorder recorder) throws Exception {
        LatencyRecorder.Summary summary = recorder.summary();
        LoadResult result = LoadResult.single(10, new LoadResult.Step(100, Duration.ofSeconds(1), summary.accepted(),
                summary, 1.0, true), List.of()).reconciled(summary.accepted(), 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        result.withHealthAfterRun(1.0).print(new PrintStream(out, true, StandardCharsets.UTF_8),
                directory.resolve("report.html"), 16);
        printed = out.toString(StandardCharsets.UTF_8);
        return Json.mapper().readTree(printed.lines().toList().getLast());
    }
}
