package dev.huddle.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.common.http.HttpHeaders;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClientQueueDepthTest {

    @ParameterizedTest
    @CsvSource({"0, 0", "17, 17", "' 17 ', 17", "10000, 10000"})
    void readsNonNegativeIntegers(String value, int expected) {
        assertThat(ClientQueueDepth.from(HttpHeaders.of(Map.of("x-client-queue-depth", value)))).hasValue(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10001", "999999999", "9999999999", "00000000000000000000000000000001"})
    void capsAtTheLargestQueueAClientHolds(String value) {
        assertThat(ClientQueueDepth.from(HttpHeaders.of(Map.of("x-client-queue-depth", value))))
                .hasValue(ClientQueueDepth.MAX_DEPTH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1.5", "ten", "1e3", "+5", "0x10", "١٢", "000000000000000000000000000000001"})
    void ignoresGarbage_andValuesTooLongToRead(String value) {
        assertThat(ClientQueueDepth.from(HttpHeaders.of(Map.of("X-Client-Queue-Depth", value)))).isEmpty();
    }
}
