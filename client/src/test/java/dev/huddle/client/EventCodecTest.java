package dev.huddle.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class EventCodecTest {
    private static final Instant AT = Instant.parse("2026-11-28T10:00:00.123Z");

    @Test
    void progressEvent_hasTheContractsFields() throws IOException {
        ProgressEvent event = new ProgressEvent("evt-00000001", ProgressEvent.Type.LESSON_COMPLETED, "course-101",
                "course-101-lesson-01", 100, 42, AT);

        JsonNode json = EventCodec.MAPPER.readTree(EventCodec.toJson(event));

        assertThat(json.path("eventId").asText()).isEqualTo("evt-00000001");
        assertThat(json.path("type").asText()).isEqualTo("lesson_completed");
        assertThat(json.path("courseId").asText()).isEqualTo("course-101");
        assertThat(json.path("lessonId").asText()).isEqualTo("course-101-lesson-01");
        assertThat(json.path("progressPercent").asDouble()).isEqualTo(100.0);
        assertThat(json.path("timeSpentSeconds").asInt()).isEqualTo(42);
        assertThat(json.path("occurredAt").asText()).isEqualTo("2026-11-28T10:00:00.123Z");
    }

    @Test
    void analyticsEvent_leavesOutAbsentOptionalFields() throws IOException {
        JsonNode json = EventCodec.MAPPER.readTree(EventCodec.toJson(AnalyticsEvent.of("video_played", AT)));

        assertThat(json.has("courseId")).isFalse();
        assertThat(json.has("properties")).isFalse();
        assertThat(json.path("name").asText()).isEqualTo("video_played");
    }

    @Test
    void analyticsProperties_areSerializedAsAnObject() throws IOException {
        AnalyticsEvent event = new AnalyticsEvent(null, "quiz_answered", "course-101", null,
                Map.of("score", 7), AT);

        JsonNode json = EventCodec.MAPPER.readTree(EventCodec.toJson(event));

        assertThat(json.path("properties").path("score").asInt()).isEqualTo(7);
        assertThat(EventCodec.eventId(EventCodec.toJson(event))).isEqualTo(event.eventId());
    }

    @Test
    void missingEventId_isGenerated_withinTheContractsAlphabet() {
        ProgressEvent event = ProgressEvent.of(ProgressEvent.Type.LESSON_PROGRESS, "course-101",
                "course-101-lesson-01", 40, 30, AT);

        assertThat(event.eventId()).matches("[A-Za-z0-9._:-]{8,128}");
        assertThat(ProgressEvent.of(ProgressEvent.Type.LESSON_PROGRESS, "c", "l", 1, 1, AT).eventId())
                .isNotEqualTo(event.eventId());
    }

    @Test
    void missingRequiredField_failsWithItsName() {
        assertThatThrownBy(() -> ProgressEvent.of(ProgressEvent.Type.LESSON_PROGRESS, null, "l", 1, 1, AT))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("courseId == null");
    }

    @Test
    void gzippedBatch_inflatesToTheEventsArray() throws IOException {
        List<QueuedEvent> events = BatchCutterTest.events(2, 40);

        byte[] body;
        try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(EventCodec.gzippedBatch(events)))) {
            body = gzip.readAllBytes();
        }

        assertThat(body).isEqualTo(EventCodec.batch(events));
        assertThat(EventCodec.MAPPER.readTree(body).path("events")).hasSize(2);
    }
}
