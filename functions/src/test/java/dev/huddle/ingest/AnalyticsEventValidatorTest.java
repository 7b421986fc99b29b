package dev.huddle.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.huddle.common.Json;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AnalyticsEventValidatorTest {
    private final AnalyticsEventValidator validator =
            new AnalyticsEventValidator(IngestConfig.from(Map.of("MAX_PROPERTIES_BYTES", "100")), ProgressEventValidatorTest.CLOCK);

    static ObjectNode validEvent() {
        ObjectNode event = Json.mapper().createObjectNode()
                .put("eventId", "ana-0001")
                .put("name", "video_paused")
                .put("courseId", "course-101")
                .put("lessonId", "course-101-lesson-02")
                .put("occurredAt", "2026-11-28T11:30:00Z");
        event.putObject("properties").put("positionSeconds", 42).put("speed", 1.5);
        return event;
    }

    @Test
    void acceptsValidEvent_keepingProperties() {
        Validation<AnalyticsEvent> result = validator.validate(validEvent());
        assertThat(result.isValid()).isTrue();
        AnalyticsEvent event = result.event();
        assertThat(event.eventId()).isEqualTo("ana-0001");
        assertThat(event.name()).isEqualTo("video_paused");
        assertThat(event.courseId()).isEqualTo("course-101");
        assertThat(event.lessonId()).isEqualTo("course-101-lesson-02");
        assertThat(event.properties().get("positionSeconds").intValue()).isEqualTo(42);
        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-11-28T11:30:00Z"));
    }

    @Test
    void acceptsEvent_withoutOptionalFields() {
        ObjectNode event = validEvent();
        event.remove("courseId");
        event.remove("lessonId");
        event.remove("properties");
        Validation<AnalyticsEvent> result = validator.validate(event);
        assertThat(result.isValid()).isTrue();
        assertThat(result.event().courseId()).isNull();
        assertThat(result.event().properties()).isNull();
    }

    @Test
    void rejectsNotAnObjectAndEventIdProblems_withNullId() throws Exception {
        assertRejected(Json.mapper().readTree("[1]"), null, "not_an_object");
        ObjectNode noId = validEvent();
        noId.remove("eventId");
        assertRejected(noId, null, "missing_eventId");
        assertRejected(validEvent().put("eventId", "abc"), null, "invalid_eventId");
    }

    @Test
    void rejectsMissingName() {
        ObjectNode event = validEvent();
        event.remove("name");
        assertRejected(event, "ana-0001", "missing_name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "line\nbreak", "nul\u0000", "bell\u0007", "del\u007f", "lone\ud800surrogate"})
    void rejectsInvalidName_whenEmptyOrWithControlCharacters(String name) {
        assertRejected(validEvent().put("name", name), "ana-0001", "invalid_name");
    }

    @Test
    void countsNameLengthInCharacters() {
        assertThat(validator.validate(validEvent().put("name", "🙂".repeat(100))).isValid()).isTrue();
        assertRejected(validEvent().put("name", "n".repeat(101)), "ana-0001", "invalid_name");
        assertRejected(validEvent().put("name", 5), "ana-0001", "invalid_name");
        assertThat(validator.validate(validEvent().put("name", "مرحبا \u202e عالم")).isValid()).isTrue();
    }

    @Test
    void rejectsInvalidOptionalIds() {
        assertRejected(validEvent().put("courseId", "course\u0000"), "ana-0001", "invalid_courseId");
        assertRejected(validEvent().put("lessonId", ""), "ana-0001", "invalid_lessonId");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"a=b\"", "42", "true"})
    void rejectsInvalidProperties_whenNotAnObject(String value) throws Exception {
        ObjectNode event = validEvent();
        event.set("properties", Json.mapper().readTree(value));
        assertRejected(event, "ana-0001", "invalid_properties");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":\"x\\u0000y\"}", "{\"a\\u0000\":1}", "{\"a\":[\"\\udc00\"]}", "{\"a\":{\"b\":1e-99999}}"})
    void rejectsInvalidProperties_whenPostgresCouldNotStoreThem(String value) throws Exception {
        ObjectNode event = validEvent();
        event.set("properties", Json.mapper().readTree(value));
        assertRejected(event, "ana-0001", "invalid_properties");
    }

    @Test
    void rejectsPropertiesTooLarge_whenSerializedOverTheLimit() {
        ObjectNode event = validEvent();
        event.putObject("properties").put("text", "x".repeat(90));
        assertRejected(event, "ana-0001", "properties_too_large");
        // {"text":"..."} is 11 bytes of framing: 89 chars fit in 100 bytes exactly.
        event.putObject("properties").put("text", "x".repeat(89));
        assertThat(validator.validate(event).isValid()).isTrue();
        // Multi-byte characters count as their UTF-8 bytes.
        event.putObject("properties").put("text", "é".repeat(45));
        assertRejected(event, "ana-0001", "properties_too_large");
    }

    @Test
    void appliesOccurredAtRules() {
        ObjectNode event = validEvent();
        event.remove("occurredAt");
        assertRejected(event, "ana-0001", "missing_occurredAt");
        assertRejected(validEvent().put("occurredAt", "soon"), "ana-0001", "invalid_occurredAt");
        assertRejected(validEvent().put("occurredAt", "2025-11-28T12:00:00Z"), "ana-0001", "occurredAt_too_old");
        assertRejected(validEvent().put("occurredAt", "2026-11-29T12:00:00Z"), "ana-0001", "occurredAt_in_future");
    }

    private void assertRejected(JsonNode element, String eventId, String reason) {
        Validation<AnalyticsEvent> result = validator.validate(element);
        assertThat(result.isValid()).as("valid?").isFalse();
        assertThat(result.reason()).isEqualTo(reason);
        assertThat(result.eventId()).isEqualTo(eventId);
    }
}
