package dev.huddle.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.common.http.HttpHeaders;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClientQueueDepthTest {

    @ParameterizedTest
    @ValueSource(strings = {"0", "17", " 17 ", "999999999"})
    void shouldReadNonNegativeIntegers(String value) {
        assertThat(ClientQueueDepth.from(HttpHeaders.of(Map.of("x-client-queue-depth", value))))
                .hasValue(Integer.parseInt(value.trim()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1.5", "ten", "1e3", "9999999999", "+5", "0x10", "١٢"})
    void shouldIgnoreGarbage(String value) {
        assertThat(ClientQueueDepth.from(HttpHeaders.of(Map.of("X-Client-Queue-Depth", value)))).isEmpty();
    }
}
