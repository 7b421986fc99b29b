package dev.huddle.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpHeadersTest {

    @Test
    void findsHeader_whateverTheCaseOfNameAndLookup() {
        HttpHeaders headers = HttpHeaders.of(Map.of("Content-TYPE", "application/json"));
        assertThat(headers.get("content-type")).contains("application/json");
        assertThat(headers.get("CONTENT-TYPE")).contains("application/json");
    }

    @Test
    void treatsBlankValueAsAbsent() {
        assertThat(HttpHeaders.of(Map.of("X-Client-Queue-Depth", "  ")).get("x-client-queue-depth")).isEmpty();
    }

    @Test
    void ignoresNullNamesAndValues() {
        Map<String, String> raw = new HashMap<>();
        raw.put(null, "x");
        raw.put("a", null);
        assertThat(HttpHeaders.of(raw).get("a")).isEmpty();
    }
}
