package dev.huddle.perf.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import dev.huddle.sql.DemoData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchBodiesTest {

    @Test
    void joinsBatchesIntoOne_asTheContractsJson_withEveryEventInOrder() throws IOException {
        EventBodies bodies = new EventBodies("join-", 7);
        DemoData.Learner learner = DemoData.learner(3);
        byte[] first = bodies.batch(LoadRoute.PROGRESS, learner, 2, Instant.now());
        byte[] second = bodies.batch(LoadRoute.PROGRESS, learner, 3, Instant.now());
        byte[] third = bodies.batch(LoadRoute.PROGRESS, learner, 1, Instant.now());

        byte[] joined = BatchBodies.join(List.of(first, second, third));

        JsonNode events = Json.mapper().readTree(joined).get("events");
        assertThat(events).hasSize(6);
        assertThat(events.get(2)).isEqualTo(Json.mapper().readTree(second).get("events").get(0));
        assertThat(BatchBodies.eventIds(joined)).containsExactly("join-0", "join-1", "join-2", "join-3", "join-4",
                "join-5");
        assertThat(BatchBodies.join(List.of(first))).isSameAs(first);
    }

    @Test
    void refusesABodyOfAnotherShape_ratherThanSendingBrokenJson() {
        byte[] batch = "{\"events\":[{\"eventId\":\"a\"}]}".getBytes(StandardCharsets.UTF_8);
        for (String other : List.of("{\"events\":[]}", "{\"eventId\":\"b\"}", "{\"events\":[{}]} ")) {
            assertThatThrownBy(() -> BatchBodies.join(List.of(batch, other.getBytes(StandardCharsets.UTF_8))))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("not a batch body");
        }
    }

    @Test
    void countsAnAnswersOutcomes_whateverTheirOrderAndWhatElseItCarries() throws IOException {
        String answer = "{\"rejected\":[{\"eventId\":\"x\",\"reason\":\"bad [1]\"},{\"eventId\":null,\"reason\":\"}\"}],"
                + "\"note\":{\"accepted\":[1,2,3]},\"accepted\":[\"a\",\"b\",\"c\"],\"duplicates\":[],\"extra\":null}";

        AnswerCounts counts = AnswerCounts.read(answer.getBytes(StandardCharsets.UTF_8));

        assertThat(counts).isEqualTo(new AnswerCounts(3, 0, 2));
        assertThat(AnswerCounts.read("{}".getBytes(StandardCharsets.UTF_8))).isEqualTo(new AnswerCounts(0, 0, 0));
        assertThatThrownBy(() -> AnswerCounts.read("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> AnswerCounts.read("{\"accepted\":[\"a\"".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
    }

    @Test
    void countsAnAnswerToABatchOfSeveralPlans_byThePlanEachEventIdNames() throws IOException {
        String answer = "{\"accepted\":[\"lw-1-0\",\"lt-0\",\"lt-1\"],\"duplicates\":[\"lw-1-1\"],"
                + "\"rejected\":[{\"eventId\":\"lt-2\",\"index\":4,\"reason\":\"unknown_lesson\"}]}";

        List<AnswerCounts> byPlan = AnswerCounts.byPlan(answer.getBytes(StandardCharsets.UTF_8),
                id -> id.startsWith("lw-1-") ? 0 : id.startsWith("lt-") ? 1 : -1, 2);

        assertThat(byPlan).containsExactly(new AnswerCounts(1, 1, 0), new AnswerCounts(2, 0, 1));
        String stranger = "{\"accepted\":[\"other-0\"]}";
        assertThatThrownBy(() -> AnswerCounts.byPlan(stranger.getBytes(StandardCharsets.UTF_8), id -> -1, 2))
                .isInstanceOf(IOException.class).hasMessageContaining("none of the plans");
        String withoutId = "{\"rejected\":[{\"eventId\":null,\"index\":0,\"reason\":\"missing_eventId\"}]}";
        assertThatThrownBy(() -> AnswerCounts.byPlan(withoutId.getBytes(StandardCharsets.UTF_8), id -> 0, 2))
                .isInstanceOf(IOException.class);
    }
}
