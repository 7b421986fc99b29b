package dev.huddle.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import dev.huddle.common.observability.LatencyEwma;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Drives the Lambda handler with every API Gateway sample in events-samples/ (classpath "events/"), the
 * same payloads API Gateway HTTP API (payload format 2.0) sends, with the Clock pinned to the samples' day.
 */
class IngestHandlerContractTest {
    private final RecordingEventStore store = new RecordingEventStore();
    private final List<String> logLines = new ArrayList<>();
    private final IngestHandler handler = new IngestHandler(new IngestService(IngestConfig.from(Map.of()),
            new FakeRateLimiter(), store, ProgressEventValidatorTest.CLOCK, new LatencyEwma(), logLines::add));

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource({
            "apigw_v2_progress_batch_valid.json,            200, ''",
            "apigw_v2_progress_batch_mixed.json,            200, ''",
            "apigw_v2_progress_lesson_valid.json,           200, ''",
            "apigw_v2_progress_batch_gzip_base64.json,      200, ''",
            "apigw_v2_analytics_batch_valid.json,           200, ''",
            "apigw_v2_analytics_event_valid.json,           200, ''",
            "apigw_v2_progress_batch_invalid_json.json,     400, invalid_json",
            "apigw_v2_progress_batch_events_missing.json,   400, invalid_shape",
            "apigw_v2_progress_batch_no_claims.json,        401, unauthorized",
            "apigw_v2_progress_batch_spoofed_user.json,     403, forbidden_user_mismatch",
            "apigw_v2_unknown_route.json,                   404, not_found",
            "apigw_v2_progress_batch_wrong_method.json,     405, method_not_allowed",
            "apigw_v2_progress_batch_101_events.json,       413, too_many_events",
            "apigw_v2_progress_batch_oversized_body.json,   413, payload_too_large",
            "apigw_v2_progress_batch_wrong_content_type.json, 415, unsupported_media_type",
            "apigw_v2_progress_batch_unsupported_encoding.json, 415, unsupported_encoding",
    })
    void answersEverySampleAsTheContractSays(String sample, int status, String error) throws IOException {
        APIGatewayV2HTTPResponse response = handler.handleRequest(EventLoader.loadApiGatewayHttpEvent("events/" + sample), null);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/json");
        JsonNode body = Json.mapper().readTree(response.getBody());
        if (status == 200) {
            assertThat(store.calls).hasSize(1);
            int events = body.get("accepted").size() + body.get("duplicates").size() + body.get("rejected").size();
            assertThat(events).as("every event in exactly one list").isEqualTo(eventsIn(sample));
        } else {
            assertThat(body.get("error").asText()).isEqualTo(error);
            assertThat(store.calls).isEmpty();
        }
    }

    @Test
    void coversEverySampleEvent() throws IOException, URISyntaxException {
        Path folder = Path.of(getClass().getClassLoader().getResource("events").toURI());
        try (Stream<Path> files = Files.list(folder)) {
            // The API Gateway samples of the ingest and health routes (others are driven by their handlers' tests).
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("apigw_v2_") && !n.startsWith("apigw_v2_admin_")).sorted().toList();
            // Every file is either driven above or is the health sample (HealthHandlerTest drives that one).
            assertThat(names).hasSize(17).contains("apigw_v2_health.json");
        }
    }

    @ParameterizedTest
    @Event(value = "events/apigw_v2_progress_batch_mixed.json", type = APIGatewayV2HTTPEvent.class)
    void listsRejectedEventsWithTheirRequestIndex(APIGatewayV2HTTPEvent event) throws IOException {
        JsonNode body = Json.mapper().readTree(handler.handleRequest(event, null).getBody());

        assertThat(body.get("accepted").toString()).isEqualTo("[\"evt-2026-11-28-0001\"]");
        assertThat(body.get("rejected").toString()).isEqualTo("["
                + "{\"eventId\":null,\"index\":1,\"reason\":\"invalid_eventId\"},"
                + "{\"eventId\":\"evt-2026-11-28-0004\",\"index\":2,\"reason\":\"invalid_progressPercent\"},"
                + "{\"eventId\":\"evt-2026-11-28-0005\",\"index\":3,\"reason\":\"occurredAt_in_future\"},"
                + "{\"eventId\":null,\"index\":4,\"reason\":\"not_an_object\"}]");
    }

    @ParameterizedTest
    @Event(value = "events/apigw_v2_progress_batch_valid.json", type = APIGatewayV2HTTPEvent.class)
    void passesTheClientQueueDepthHeaderToTheStore(APIGatewayV2HTTPEvent event) {
        handler.handleRequest(event, null);
        assertThat(store.calls.getFirst().clientQueueDepth()).hasValue(3);
        assertThat(store.calls.getFirst().userId()).isEqualTo("learner-0001");
        assertThat(logLines).singleElement().asString().contains("\"requestId\":\"req-0001\"");
    }

    @ParameterizedTest
    @Event(value = "events/apigw_v2_progress_batch_gzip_base64.json", type = APIGatewayV2HTTPEvent.class)
    void acceptsAGzippedBase64Batch(APIGatewayV2HTTPEvent event) throws IOException {
        JsonNode body = Json.mapper().readTree(handler.handleRequest(event, null).getBody());
        assertThat(body.get("accepted")).hasSize(20);
    }

    private static int eventsIn(String sample) throws IOException {
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("events/" + sample);
        String body = event.getBody();
        if (event.getIsBase64Encoded()) {
            try (var in = new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(body)))) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        JsonNode root = Json.mapper().readTree(body);
        return root.has("events") ? root.get("events").size() : 1;
    }
}
