package dev.huddle.common.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EmfDocumentTest {

    @Test
    void declaresMetricsAndDimensionsInTheAwsBlock_andKeepsValuesAtTheRoot() throws Exception {
        String line = new EmfDocument("Huddle/Ingest", Instant.ofEpochMilli(1_790_000_000_000L))
                .dimension("Route", "POST /api/client/progress/batch")
                .metric("BatchLatency", 12, "Milliseconds")
                .metric("EventsAccepted", 3, "Count")
                .property("requestId", "r-1")
                .toJson();

        JsonNode root = Json.mapper().readTree(line);
        assertThat(line).doesNotContain("\n");
        assertThat(root.get("Route").asText()).isEqualTo("POST /api/client/progress/batch");
        assertThat(root.get("BatchLatency").asDouble()).isEqualTo(12);
        assertThat(root.get("requestId").asText()).isEqualTo("r-1");
        JsonNode aws = root.get("_aws");
        assertThat(aws.get("Timestamp").asLong()).isEqualTo(1_790_000_000_000L);
        JsonNode directive = aws.get("CloudWatchMetrics").get(0);
        assertThat(directive.get("Namespace").asText()).isEqualTo("Huddle/Ingest");
        assertThat(directive.get("Dimensions").toString()).isEqualTo("[[\"Route\"]]");
        assertThat(directive.get("Metrics").toString()).isEqualTo(
                "[{\"Name\":\"BatchLatency\",\"Unit\":\"Milliseconds\"},{\"Name\":\"EventsAccepted\",\"Unit\":\"Count\"}]");
    }
}
