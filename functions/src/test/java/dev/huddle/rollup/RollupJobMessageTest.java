package dev.huddle.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RollupJobMessageTest {

    @Test
    void shouldRoundTripThroughItsJsonBody() {
        assertThat(new RollupJobMessage("org-1").toJson()).isEqualTo("{\"orgId\":\"org-1\"}");
        assertThat(RollupJobMessage.parse("{\"orgId\":\"org-1\"}")).contains(new RollupJobMessage("org-1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[]", "{}", "{\"orgId\":42}", "{\"orgId\":\"\"}", "{\"orgId\":\"a b\"}",
            "{\"orgId\":null}"})
    void shouldRejectBodiesThatAreNotAJob(String body) {
        assertThat(RollupJobMessage.parse(body)).isEmpty();
    }
}
