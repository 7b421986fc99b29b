package dev.huddle.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class IngestTelemetryTest {
    private final List<String> lines = new ArrayList<>();
    private final IngestTelemetry telemetry = new IngestTelemetry(lines::add, ProgressEventValidatorTest.CLOCK);

    @Test
    void emitsEveryMetric_forAStoredBatch() throws Exception {
        telemetry.record(new RequestRecord(IngestRoute.ANALYTICS_BATCH, 200, null, 5, 1, 2,
                new RequestCost(40_400, 900, 3_000, 150, 80, 25_400, 2_100, 120), OptionalInt.of(9), "r-1", null));

        JsonNode line = Json.mapper().readTree(lines.getFirst());
        assertThat(metricNames(line)).containsExactlyInAnyOrder("BatchLatency", "EventsAccepted", "EventsDuplicate",
                "EventsRejected", "Status2xx", "Status4xx", "Status5xx", "DbLatency", "ClientQueueDepth");
        assertThat(line.get("_aws").get("CloudWatchMetrics").get(0).get("Namespace").asText()).isEqualTo("Huddle/Ingest");
        assertThat(line.get("Route").asText()).isEqualTo("POST /api/analytics/events/batch");
        assertThat(line.get("Status2xx").asInt()).isEqualTo(1);
        assertThat(line.get("Status5xx").asInt()).isZero();
        assertThat(line.get("DbLatency").asInt()).isEqualTo(25);
        assertThat(line.get("ClientQueueDepth").asInt()).isEqualTo(9);
        assertThat(line.get("BatchLatency").asInt()).isEqualTo(40);
        assertThat(line.get("level").asText()).isEqualTo("INFO");
    }

    @Test
    void logsWhereTheRequestsTimeWent_inMicrosAsProperties_notAsMetrics() throws Exception {
        telemetry.record(new RequestRecord(IngestRoute.PROGRESS_BATCH, 200, null, 5, 0, 0,
                new RequestCost(40_400, 900, 3_000, 150, 80, 25_400, 2_100, 120), OptionalInt.empty(), "r-1", null));

        JsonNode line = Json.mapper().readTree(lines.getFirst());
        assertThat(line.get("handlerMicros").asLong()).isEqualTo(40_400);
        assertThat(line.get("handlerCpuMicros").asLong()).isEqualTo(900);
        assertThat(line.get("rateLimitMicros").asLong()).isEqualTo(3_000);
        assertThat(line.get("parseMicros").asLong()).isEqualTo(150);
        assertThat(line.get("validateMicros").asLong()).isEqualTo(80);
        assertThat(line.get("dbMicros").asLong()).isEqualTo(25_400);
        assertThat(line.get("fanOutMicros").asLong()).isEqualTo(2_100);
        assertThat(line.get("respondMicros").asLong()).isEqualTo(120);
        assertThat(metricNames(line)).noneMatch(name -> name.endsWith("Micros"));
    }

    @Test
    void omitsDbAndDepthMetrics_whenTheyDidNotHappen_andFlagsErrors() throws Exception {
        long notRun = RequestCost.NOT_RUN;
        telemetry.record(new RequestRecord(IngestRoute.PROGRESS_BATCH, 503, "service_unavailable", 0, 0, 0,
                new RequestCost(3_000_000, 700, 2_990_000, notRun, notRun, notRun, notRun, 50), OptionalInt.empty(),
                null, "unavailable:dynamodb"));

        JsonNode line = Json.mapper().readTree(lines.getFirst());
        assertThat(metricNames(line)).doesNotContain("DbLatency", "ClientQueueDepth");
        assertThat(line.has("dbMicros")).isFalse();
        assertThat(line.has("fanOutMicros")).isFalse();
        assertThat(line.has("parseMicros")).isFalse();
        assertThat(line.get("rateLimitMicros").asLong()).isEqualTo(2_990_000);
        assertThat(line.get("Status5xx").asInt()).isEqualTo(1);
        assertThat(line.get("level").asText()).isEqualTo("ERROR");
        assertThat(line.get("error").asText()).isEqualTo("service_unavailable");
        assertThat(line.get("failure").asText()).isEqualTo("unavailable:dynamodb");
    }

    private static List<String> metricNames(JsonNode line) {
        JsonNode metrics = line.get("_aws").get("CloudWatchMetrics").get(0).get("Metrics");
        return StreamSupport.stream(metrics.spliterator(), false).map(m -> m.get("Name").asText()).toList();
    }
}
