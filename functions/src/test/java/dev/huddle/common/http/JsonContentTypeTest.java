package dev.huddle.common.http;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonContentTypeTest {

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "Application/JSON", "application/json; charset=utf-8",
            "application/json;charset=UTF-8", "application/json; charset=\"utf-8\"", "application/vnd.huddle+json"})
    void accepts_whenMediaTypeIsJson(String contentType) {
        assertThatCode(() -> JsonContentType.require(HttpHeaders.of(Map.of("content-type", contentType))))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
            "application/json; charset=utf-16", "application/jsonp", "text/json", "application/xml"})
    void refuses415_whenMediaTypeIsNotJson(String contentType) {
        assertThatThrownBy(() -> JsonContentType.require(HttpHeaders.of(Map.of("Content-Type", contentType))))
                .isInstanceOfSatisfying(RequestRejectedException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE));
    }

    @org.junit.jupiter.api.Test
    void refuses415_whenContentTypeIsMissing() {
        assertThatThrownBy(() -> JsonContentType.require(HttpHeaders.empty()))
                .isInstanceOf(RequestRejectedException.class)
                .hasMessage("Content-Type is missing");
    }
}
