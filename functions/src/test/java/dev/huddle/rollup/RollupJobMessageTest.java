package dev.huddle.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RollupJobMessageTest {

    @Test
    void roundTripsThroughItsJsonBody() {
        assertThat(new RollupJobMessage("org-1").toJson()).isEqualTo("{\"orgId\":\"org-1\"}");
        assertThat(RollupJobMessage.parse("{\"orgId\":\"org-1\"}")).contains(new RollupJobMessage("org-1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"o", "org-1", ".leading-dot", "-leading-dash", "a:b.c_d-e", "0123456789"})
    void acceptsEveryContractIdentifier(String orgId) {
        assertThat(RollupJobMessage.parse(new RollupJobMessage(orgId).toJson())).contains(new RollupJobMessage(orgId));
    }

    @Test
    void acceptsTheLongestIdentifier_andRejectsOneCharacterMore() {
        String longest = "o".repeat(dev.huddle.common.Identifier.MAX_LENGTH);
        assertThat(RollupJobMessage.parse("{\"orgId\":\"" + longest + "\"}")).contains(new RollupJobMessage(longest));
        assertThat(RollupJobMessage.parse("{\"orgId\":\"" + longest + "o\"}")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[]", "{}", "{\"orgId\":42}", "{\"orgId\":\"\"}", "{\"orgId\":\"a b\"}",
            "{\"orgId\":null}"})
    void rejectsBodiesThatAreNotAJob(String body) {
        assertThat(RollupJobMessage.parse(body)).isEmpty();
    }
}
