package dev.huddle.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import org.junit.jupiter.api.Test;

class HttpResponseTest {

    @Test
    void writesErrorShape_withCodeAndStatus() throws Exception {
        HttpResponse response = HttpResponse.error(ErrorCode.TOO_MANY_EVENTS, "At most \"100\" events");
        JsonNode body = Json.mapper().readTree(response.body());
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.headers()).containsEntry("Content-Type", "application/json");
        assertThat(body.get("error").asText()).isEqualTo("too_many_events");
        assertThat(body.get("message").asText()).isEqualTo("At most \"100\" events");
        assertThat(body.size()).isEqualTo(2);
    }

    @Test
    void addsHeader_keepingExistingOnes() {
        HttpResponse response = HttpResponse.error(ErrorCode.RATE_LIMITED, "slow down").withHeader("Retry-After", "3");
        assertThat(response.headers()).containsEntry("Retry-After", "3").containsKey("Content-Type");
    }
}
