package dev.huddle.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import dev.huddle.common.http.HttpResponse;
import dev.huddle.common.observability.LatencyEwma;
import dev.huddle.ratelimit.RateLimitDecision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9: a short number literal with a huge exponent in any numeric field hung the stack (rounding
 * 1e-99999999 builds a power of ten with 100 million digits) or answered 500 (exponents near ±2^31 throw
 * ArithmeticException or NumberFormatException). Every such literal, on every route and in every numeric
 * field, must now get a quick 400 that says why; numbers inside the bounds keep their per-event rules.
 */
class NumberLimitsTest {
    /** Generous for a check that takes microseconds; the old code never finished or failed at once. */
    private static final Duration QUICKLY = Duration.ofSeconds(5);

    private final RecordingEventStore store = new RecordingEventStore();
    private final IngestService service = new IngestService(IngestConfig.from(Map.of()), user -> RateLimitDecision.allow(),
            store, ProgressEventValidatorTest.CLOCK, new LatencyEwma(), line -> { });

    static Stream<Arguments> outOfBoundsLiterals() {
        List<Arguments> cases = new ArrayList<>();
        for (String literal : List.of("5e-99999999", "1e-999999999", "1e999999999", "1.5e-999999999", "0e-999999999",
                "1e-2147483647", "1e2147483647", "1e-2147483648", "1e2147483648", "-1E+99999999999", "1e-1001")) {
            for (Field field : Field.values()) {
                cases.add(Arguments.of(field, literal));
            }
        }
        return cases.stream();
    }

    /** Where a number can sit in a request, with the route that reads it. */
    enum Field {
        PROGRESS_PERCENT(IngestRoute.PROGRESS_BATCH),
        TIME_SPENT_SECONDS(IngestRoute.PROGRESS_BATCH),
        SINGLE_LESSON_PERCENT(IngestRoute.PROGRESS_LESSON),
        PROPERTIES_VALUE(IngestRoute.ANALYTICS_BATCH),
        SINGLE_EVENT_PROPERTIES(IngestRoute.ANALYTICS_EVENT),
        UNKNOWN_FIELD(IngestRoute.PROGRESS_BATCH);

        final IngestRoute route;

        Field(IngestRoute route) {
            this.route = route;
        }

        String body(String literal) {
            String progress = IngestServiceTest.progress("evt-0000001");
            String analytics = "{\"eventId\":\"ana-00001\",\"name\":\"quiz\",\"occurredAt\":\"2026-11-28T11:59:00Z\","
                    + "\"properties\":{\"score\":{\"raw\":[1," + literal + "]}}}";
            return switch (this) {
                case PROGRESS_PERCENT -> IngestServiceTest.batch(progress.replace("\"progressPercent\":50",
                        "\"progressPercent\":" + literal));
                case TIME_SPENT_SECONDS -> IngestServiceTest.batch(progress.replace("\"timeSpentSeconds\":30",
                        "\"timeSpentSeconds\":" + literal));
                case SINGLE_LESSON_PERCENT -> progress.replace("\"progressPercent\":50", "\"progressPercent\":" + literal);
                case PROPERTIES_VALUE -> IngestServiceTest.batch(analytics);
                case SINGLE_EVENT_PROPERTIES -> analytics;
                case UNKNOWN_FIELD -> "{\"sentAt\":" + literal + ",\"events\":[" + progress + "]}";
            };
        }
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("outOfBoundsLiterals")
    void answers400Quickly_whenAnyNumberHasAHugeExponent(Field field, String literal) throws Exception {
        HttpResponse response = assertTimeoutPreemptively(QUICKLY,
                () -> service.handle(field.route, TestRequests.post(field.body(literal)).build()));

        assertThat(response.status()).as("status (body %s)", response.body()).isEqualTo(400);
        JsonNode body = Json.mapper().readTree(response.body());
        assertThat(body.get("error").asText()).isEqualTo("invalid_json");
        assertThat(body.get("message").asText()).contains("exponent beyond +/-1000");
        assertThat(store.calls).isEmpty();
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "PROGRESS_PERCENT, 1e1000, invalid_progressPercent",
            "PROGRESS_PERCENT, -1e-1000, invalid_progressPercent",
            "PROGRESS_PERCENT, 1000.0, invalid_progressPercent",
            "TIME_SPENT_SECONDS, 1e3, invalid_timeSpentSeconds",
            "TIME_SPENT_SECONDS, 1e-1000, invalid_timeSpentSeconds",
            "TIME_SPENT_SECONDS, 99999999999999999999999999999999999999, invalid_timeSpentSeconds",
            "TIME_SPENT_SECONDS, -2147483649, invalid_timeSpentSeconds"})
    void rejectsTheEvent_whenANumberInsideTheBoundsBreaksItsFieldRule(Field field, String literal, String reason)
            throws Exception {
        HttpResponse response = assertTimeoutPreemptively(QUICKLY,
                () -> service.handle(field.route, TestRequests.post(field.body(literal)).build()));

        assertThat(response.status()).isEqualTo(200);
        assertThat(Json.mapper().readTree(response.body()).at("/rejected/0/reason").asText()).isEqualTo(reason);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"PROGRESS_PERCENT, 1e-1000", "PROGRESS_PERCENT, 4.9e-324", "PROGRESS_PERCENT, 0.1e2",
            "PROPERTIES_VALUE, 1e1000", "PROPERTIES_VALUE, -1e-1000", "SINGLE_EVENT_PROPERTIES, 1.7976931348623157e308",
            "UNKNOWN_FIELD, 1e1000"})
    void accepts_whenTheNumberIsInsideTheBoundsAndItsFieldRule(Field field, String literal) throws Exception {
        HttpResponse response = assertTimeoutPreemptively(QUICKLY,
                () -> service.handle(field.route, TestRequests.post(field.body(literal)).build()));

        assertThat(response.status()).isEqualTo(200);
        assertThat(Json.mapper().readTree(response.body()).get("accepted")).hasSize(1);
    }
}
