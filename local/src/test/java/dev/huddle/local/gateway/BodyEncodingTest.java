package dev.huddle.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodyEncodingTest {
    private static final byte[] JSON = "{\"a\":\"ü\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void passesJsonAsText() {
        assertThat(BodyEncoding.encode(JSON, "application/json; charset=utf-8", null))
                .isEqualTo(new BodyEncoding.EncodedBody("{\"a\":\"ü\"}", false));
    }

    @Test
    void passesTextWithoutContentTypeAsText() {
        assertThat(BodyEncoding.encode(JSON, null, "identity").base64()).isFalse();
    }

    @Test
    void encodesCompressedBinaryAndInvalidUtf8BodiesInBase64() {
        assertThat(BodyEncoding.encode(JSON, "application/json", "gzip").base64()).isTrue();
        assertThat(BodyEncoding.encode(JSON, "application/octet-stream", null).base64()).isTrue();
        assertThat(BodyEncoding.encode(new byte[] {(byte) 0xc3, 0x28}, "application/json", null).base64()).isTrue();
    }

    @Test
    void givesNullBodyForEmptyBody() {
        assertThat(BodyEncoding.encode(new byte[0], "application/json", null))
                .isEqualTo(new BodyEncoding.EncodedBody(null, false));
    }
}
