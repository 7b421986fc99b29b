package dev.huddle.dbapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON the batch procedures read: names and types as their jsonb_to_recordset column lists expect. */
class ProcedureInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant AT = Instant.parse("2026-11-28T11:00:00.250Z");

    @Test
    void aProgressEvent_isWrittenWithTheNamesOfUpsertProgressBatch() throws Exception {
        JsonNode array = JSON.readTree(ProcedureInput.of(List.of(new ProgressInput("e-1", "lesson_progress",
                "course-101", "course-101-lesson-01", new BigDecimal("12.5"), 30, AT))).json());

        assertThat(array).hasSize(1);
        assertThat(array.get(0)).isEqualTo(JSON.readTree("""
                {"eventId":"e-1","type":"lesson_progress","courseId":"course-101","lessonId":"course-101-lesson-01",
                 "progressPercent":12.5,"timeSpentSeconds":30,"occurredAt":"2026-11-28T11:00:00.250Z"}"""));
    }

    @Test
    void anAnalyticsEvent_leavesItsMissingOptionalFieldsOut() throws Exception {
        JsonNode properties = JSON.readTree("{\"screen\":\"home\",\"attempt\":2}");
        ProcedureInput<AnalyticsInput> input = ProcedureInput.of(List.of(
                new AnalyticsInput("a-1", "app_opened", null, null, null, AT),
                new AnalyticsInput("a-2", "video_paused", "course-101", "course-101-lesson-02", properties, AT)));
        JsonNode array = JSON.readTree(input.json());

        assertThat(input.size()).isEqualTo(2);

        assertThat(array.get(0)).isEqualTo(JSON.readTree("""
                {"eventId":"a-1","name":"app_opened","occurredAt":"2026-11-28T11:00:00.250Z"}"""));
        assertThat(array.get(1)).isEqualTo(JSON.readTree("""
                {"eventId":"a-2","name":"video_paused","courseId":"course-101","lessonId":"course-101-lesson-02",
                 "properties":{"screen":"home","attempt":2},"occurredAt":"2026-11-28T11:00:00.250Z"}"""));
    }

    @Test
    void anEmptyBatch_isAnEmptyArray() {
        assertThat(ProcedureInput.of(List.of()).json()).isEqualTo("[]");
    }

    @Test
    void requiredFields_failFastWithTheirName() {
        assertThatThrownBy(() -> new ProgressInput("e-1", "lesson_progress", "course-101", "course-101-lesson-01",
                BigDecimal.ONE, 1, null)).hasMessage("occurredAt == null");
        assertThatThrownBy(() -> new AnalyticsInput("a-1", null, null, null, null, AT)).hasMessage("name == null");
    }

    @Test
    void statusWireNames_mapToTheirConstants_andAnUnknownOneFails() {
        assertThat(List.of("accepted", "duplicate", "rejected")).map(EventStatus.Status::of)
                .containsExactly(EventStatus.Status.ACCEPTED, EventStatus.Status.DUPLICATE, EventStatus.Status.REJECTED);
        assertThatThrownBy(() -> EventStatus.Status.of("maybe")).hasMessage("unknown status from the procedure: maybe");
    }
}
