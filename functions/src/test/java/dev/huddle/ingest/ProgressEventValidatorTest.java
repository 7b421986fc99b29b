package dev.huddle.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.huddle.common.Json;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProgressEventValidatorTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);
    private final ProgressEventValidator validator = new ProgressEventValidator(IngestConfig.from(Map.of()), CLOCK);

    static ObjectNode validEvent() {
        return Json.mapper().createObjectNode()
                .put("eventId", "evt-0001")
                .put("type", "lesson_progress")
                .put("courseId", "course-101")
                .put("lessonId", "course-101-lesson-01")
                .put("progressPercent", 40)
                .put("timeSpentSeconds", 120)
                .put("occurredAt", "2026-11-28T11:00:00Z");
    }

    @Test
    void acceptsValidEvent_withEveryFieldRead() {
        Validation<ProgressEvent> result = validator.validate(validEvent());
        assertThat(result.isValid()).isTrue();
        assertThat(result.event()).isEqualTo(new ProgressEvent("evt-0001", ProgressEvent.Type.LESSON_PROGRESS,
                "course-101", "course-101-lesson-01", new BigDecimal("40"), 120, Instant.parse("2026-11-28T11:00:00Z")));
    }

    @Test
    void ignoresUnknownFields() {
        assertThat(validator.validate(validEvent().put("appVersion", "9.9").put("extra", 1)).isValid()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"evt\"", "42", "null", "true"})
    void rejectsNotAnObject_whenElementIsNotAnObject(String json) throws Exception {
        assertRejected(Json.mapper().readTree(json), null, "not_an_object");
    }

    @Test
    void rejectsMissingEventId_withNullId() {
        ObjectNode event = validEvent();
        event.remove("eventId");
        assertRejected(event, null, "missing_eventId");
        assertRejected(validEvent().putNull("eventId"), null, "missing_eventId");
    }

    @ParameterizedTest
    @ValueSource(strings = {"short", "evt 0001x", "evt/0001x", "évènement-1", "evt-0001\u0000", "evt-0001'--", "🙂🙂🙂🙂🙂🙂🙂🙂"})
    void rejectsInvalidEventId_whenLengthOrCharsetIsWrong(String eventId) {
        assertRejected(validEvent().put("eventId", eventId), null, "invalid_eventId");
    }

    @Test
    void rejectsInvalidEventId_whenTooLongOrNotAString() {
        assertRejected(validEvent().put("eventId", "a".repeat(129)), null, "invalid_eventId");
        assertRejected(validEvent().put("eventId", 12345678), null, "invalid_eventId");
        assertThat(validator.validate(validEvent().put("eventId", "a".repeat(128))).isValid()).isTrue();
        assertThat(validator.validate(validEvent().put("eventId", "a.b:c-d_e")).isValid()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"lesson_started", "LESSON_PROGRESS", ""})
    void rejectsInvalidType_whenNotAKnownType(String type) {
        assertRejected(validEvent().put("type", type), "evt-0001", "invalid_type");
    }

    @Test
    void rejectsInvalidType_whenMissing() {
        ObjectNode event = validEvent();
        event.remove("type");
        assertRejected(event, "evt-0001", "invalid_type");
    }

    @Test
    void rejectsMissingAndInvalidCourseAndLessonIds() {
        ObjectNode noCourse = validEvent();
        noCourse.remove("courseId");
        assertRejected(noCourse, "evt-0001", "missing_courseId");
        assertRejected(validEvent().put("courseId", ""), "evt-0001", "invalid_courseId");
        assertRejected(validEvent().put("courseId", "course 101"), "evt-0001", "invalid_courseId");
        assertRejected(validEvent().put("courseId", 101), "evt-0001", "invalid_courseId");
        assertRejected(validEvent().put("courseId", "c".repeat(129)), "evt-0001", "invalid_courseId");
        ObjectNode noLesson = validEvent();
        noLesson.remove("lessonId");
        assertRejected(noLesson, "evt-0001", "missing_lessonId");
        assertRejected(validEvent().put("lessonId", "x'; drop table huddle.progress_events; --"), "evt-0001",
                "invalid_lessonId");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-0.01", "100.01", "1e400", "-1e400", "\"50\"", "null", "true", "[50]",
            // Outside the JSON reader's bounds (a tree built by another reader): refused on digits and scale
            // alone; rounding 5e-99999999 to hundredths used to build a 100-million-digit power of ten.
            "5e-99999999", "1e-999999999", "1e-2147483647", "1e2147483647"})
    void rejectsInvalidProgressPercent_whenOutOfRangeOrNotANumber(String value) throws Exception {
        ObjectNode event = validEvent();
        event.set("progressPercent", Json.mapper().readTree(value));
        assertRejected(event, "evt-0001", "invalid_progressPercent");
    }

    @Test
    void rejectsInvalidProgressPercent_whenMissingOnLessonProgress() {
        ObjectNode event = validEvent();
        event.remove("progressPercent");
        assertRejected(event, "evt-0001", "invalid_progressPercent");
    }

    @ParameterizedTest
    @CsvSource({"0,0", "100,100", "33.333,33.33", "12.5,12.5", "1e-400,0", "50.0,50"})
    void acceptsProgressPercent_roundedToHundredths(String value, String expected) throws Exception {
        ObjectNode event = validEvent();
        event.set("progressPercent", Json.mapper().readTree(value));
        Validation<ProgressEvent> result = validator.validate(event);
        assertThat(result.isValid()).isTrue();
        assertThat(result.event().progressPercent().toPlainString()).isEqualTo(expected);
    }

    @Test
    void storesHundred_whenLessonCompleted_whateverProgressPercentSays() {
        ObjectNode withoutPercent = validEvent().put("type", "lesson_completed");
        withoutPercent.remove("progressPercent");
        assertThat(validator.validate(withoutPercent).event().progressPercent()).isEqualByComparingTo("100");
        assertThat(validator.validate(validEvent().put("type", "lesson_completed").put("progressPercent", 80))
                .event().progressPercent()).isEqualByComparingTo("100");
        assertThat(validator.validate(validEvent().put("type", "lesson_completed").put("progressPercent", "done"))
                .event().progressPercent()).isEqualByComparingTo("100");
    }

    @ParameterizedTest
    @ValueSource(strings = {"12.5", "1e400", "\"12\"", "-1", "86401", "12.0", "99999999999999999999", "true"})
    void rejectsInvalidTimeSpentSeconds(String value) throws Exception {
        ObjectNode event = validEvent();
        event.set("timeSpentSeconds", Json.mapper().readTree(value));
        assertRejected(event, "evt-0001", "invalid_timeSpentSeconds");
    }

    @Test
    void defaultsTimeSpentToZero_whenAbsentOrNull() {
        ObjectNode event = validEvent();
        event.remove("timeSpentSeconds");
        assertThat(validator.validate(event).event().timeSpentSeconds()).isZero();
        assertThat(validator.validate(validEvent().putNull("timeSpentSeconds")).event().timeSpentSeconds()).isZero();
        assertThat(validator.validate(validEvent().put("timeSpentSeconds", 86_400)).event().timeSpentSeconds())
                .isEqualTo(86_400);
    }

    @Test
    void rejectsMissingOccurredAt() {
        ObjectNode event = validEvent();
        event.remove("occurredAt");
        assertRejected(event, "evt-0001", "missing_occurredAt");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-28T11:00:00", "2026-11-28", "yesterday", "1764327600", "2026-13-01T00:00:00Z",
            "2026-11-28T11:00:00Z and more", ""})
    void rejectsInvalidOccurredAt_whenNotAnInstantWithOffset(String value) {
        assertRejected(validEvent().put("occurredAt", value), "evt-0001", "invalid_occurredAt");
    }

    @Test
    void rejectsInvalidOccurredAt_whenNotAString() {
        assertRejected(validEvent().put("occurredAt", 1764327600), "evt-0001", "invalid_occurredAt");
    }

    @Test
    void acceptsOccurredAt_withNumericOffset() {
        assertThat(validator.validate(validEvent().put("occurredAt", "2026-11-28T13:00:00+02:00")).event().occurredAt())
                .isEqualTo(Instant.parse("2026-11-28T11:00:00Z"));
    }

    @Test
    void appliesRetentionAndFutureSkewBoundaries() {
        assertThat(validator.validate(validEvent().put("occurredAt", "2026-10-29T12:00:00Z")).isValid()).isTrue();
        assertRejected(validEvent().put("occurredAt", "2026-10-29T11:59:59Z"), "evt-0001", "occurredAt_too_old");
        assertThat(validator.validate(validEvent().put("occurredAt", "2026-11-28T12:05:00Z")).isValid()).isTrue();
        assertRejected(validEvent().put("occurredAt", "2026-11-28T12:05:01Z"), "evt-0001", "occurredAt_in_future");
    }

    private void assertRejected(JsonNode element, String eventId, String reason) {
        Validation<ProgressEvent> result = validator.validate(element);
        assertThat(result.isValid()).as("valid?").isFalse();
        assertThat(result.reason()).isEqualTo(reason);
        assertThat(result.eventId()).isEqualTo(eventId);
    }
}
