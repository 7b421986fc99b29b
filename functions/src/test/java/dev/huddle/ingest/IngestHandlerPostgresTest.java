package dev.huddle.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import dev.huddle.common.db.DatabaseConnection;
import dev.huddle.common.observability.LatencyEwma;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The sample events end to end: handler, service, real store, real procedures. */
class IngestHandlerPostgresTest {
    private static IngestDatabase db;
    private static DatabaseConnection connection;
    private static IngestHandler handler;

    @BeforeAll
    static void wire() {
        db = IngestDatabase.create();
        connection = new DatabaseConnection(db.factory(Duration.ofSeconds(2), "huddle-ingest-e2e", null));
        handler = new IngestHandler(new IngestService(IngestConfig.from(Map.of()), new FakeRateLimiter(),
                new PostgresEventStore(connection), ProgressEventValidatorTest.CLOCK, new LatencyEwma(), line -> { }));
    }

    @AfterAll
    static void close() {
        connection.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "apigw_v2_progress_batch_valid.json,       3",
            "apigw_v2_progress_batch_gzip_base64.json, 20",
            "apigw_v2_progress_lesson_valid.json,      1",
            "apigw_v2_analytics_batch_valid.json,      3",
            "apigw_v2_analytics_event_valid.json,      1"})
    void acceptsASampleOnce_andReportsItsResendAsDuplicates(String sample, int events) throws Exception {
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("events/" + sample);

        JsonNode first = Json.mapper().readTree(handler.handleRequest(event, null).getBody());
        JsonNode resend = Json.mapper().readTree(handler.handleRequest(event, null).getBody());

        assertThat(first.get("accepted")).hasSize(events);
        assertThat(first.get("rejected")).isEmpty();
        assertThat(resend.get("accepted")).isEmpty();
        assertThat(resend.get("duplicates")).hasSize(events);
    }
}
