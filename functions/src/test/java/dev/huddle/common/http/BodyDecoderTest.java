package dev.huddle.common.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.huddle.common.http.BodyDecoder.ContentEncoding;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BodyDecoderTest {
    private static final int LIMIT = 1024;
    private final BodyDecoder decoder = new BodyDecoder(LIMIT);

    @Test
    void returnsUtf8Bytes_whenBodyIsPlainText() {
        assertThat(decoder.decode("{\"a\":\"é\"}", false, ContentEncoding.IDENTITY))
                .isEqualTo("{\"a\":\"é\"}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void returnsEmpty_whenBodyIsNullOrEmpty() {
        assertThat(decoder.decode(null, false, ContentEncoding.IDENTITY)).isEmpty();
        assertThat(decoder.decode("", true, ContentEncoding.GZIP)).isEmpty();
    }

    @Test
    void decodesBase64_whenMarkedBase64Encoded() {
        String encoded = Base64.getEncoder().encodeToString("{}".getBytes(StandardCharsets.UTF_8));
        assertThat(decoder.decode(encoded, true, ContentEncoding.IDENTITY)).isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void inflates_whenGzipAndBase64() throws IOException {
        byte[] json = "{\"events\":[]}".getBytes(StandardCharsets.UTF_8);
        String encoded = Base64.getEncoder().encodeToString(gzip(json));
        assertThat(decoder.decode(encoded, true, ContentEncoding.GZIP)).isEqualTo(json);
    }

    @Test
    void acceptsBody_whenExactlyAtTheLimit() throws IOException {
        byte[] atLimit = "x".repeat(LIMIT).getBytes(StandardCharsets.UTF_8);
        assertThat(decoder.decode(new String(atLimit, StandardCharsets.UTF_8), false, ContentEncoding.IDENTITY)).hasSize(LIMIT);
        String gzipped = Base64.getEncoder().encodeToString(gzip(atLimit));
        assertThat(decoder.decode(gzipped, true, ContentEncoding.GZIP)).hasSize(LIMIT);
    }

    @Test
    void refuses413_whenPlainBodyIsOneByteOverTheLimit() {
        assertRejected(() -> decoder.decode("x".repeat(LIMIT + 1), false, ContentEncoding.IDENTITY),
                ErrorCode.PAYLOAD_TOO_LARGE);
    }

    @Test
    void refuses413_whenMultiByteCharactersPushTheBodyOverTheLimit() {
        // 600 chars, 1200 UTF-8 bytes: the limit is in bytes, not chars.
        assertRejected(() -> decoder.decode("é".repeat(600), false, ContentEncoding.IDENTITY), ErrorCode.PAYLOAD_TOO_LARGE);
    }

    @Test
    void refuses413_whenBase64BodyDecodesOverTheLimit() {
        String encoded = Base64.getEncoder().encodeToString(new byte[LIMIT + 1]);
        assertRejected(() -> decoder.decode(encoded, true, ContentEncoding.IDENTITY), ErrorCode.PAYLOAD_TOO_LARGE);
    }

    @Test
    void refuses413_whenInflatedBodyExceedsTheLimit() throws IOException {
        String encoded = Base64.getEncoder().encodeToString(gzip(new byte[LIMIT + 1]));
        assertRejected(() -> decoder.decode(encoded, true, ContentEncoding.GZIP), ErrorCode.PAYLOAD_TOO_LARGE);
    }

    @Test
    void stopsInflatingAGzipBombAtTheLimit_whenItExpandsToGigabytes() throws IOException {
        // 64 MB of zeros compress to ~64 KB; the decoder with a 256 KB limit must give up after 256 KB + 1.
        BodyDecoder realLimit = new BodyDecoder(256 * 1024);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                gzip.write(zeros);
            }
        }
        String bomb = Base64.getEncoder().encodeToString(compressed.toByteArray());
        assertThat(compressed.size()).isLessThan(256 * 1024);

        long before = allocatedBytes();
        assertRejected(() -> realLimit.decode(bomb, true, ContentEncoding.GZIP), ErrorCode.PAYLOAD_TOO_LARGE);
        long allocated = allocatedBytes() - before;

        // Inflating all 64 MB would allocate at least that much; stopping at the limit allocates a few MB.
        assertThat(allocated).isLessThan(16L * 1024 * 1024);
    }

    @Test
    void refuses400_whenBodyIsNotValidBase64() {
        assertRejected(() -> decoder.decode("not base64!!", true, ContentEncoding.IDENTITY), ErrorCode.INVALID_JSON);
    }

    @Test
    void refuses400_whenBodyIsMarkedGzipButIsNot() {
        String encoded = Base64.getEncoder().encodeToString("{\"events\":[]}".getBytes(StandardCharsets.UTF_8));
        assertRejected(() -> decoder.decode(encoded, true, ContentEncoding.GZIP), ErrorCode.INVALID_JSON);
    }

    @Test
    void refuses400_whenGzipIsTruncated() throws IOException {
        byte[] full = gzip("{\"events\":[]}".getBytes(StandardCharsets.UTF_8));
        byte[] truncated = java.util.Arrays.copyOf(full, full.length - 6);
        String encoded = Base64.getEncoder().encodeToString(truncated);
        assertRejected(() -> decoder.decode(encoded, true, ContentEncoding.GZIP), ErrorCode.INVALID_JSON);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "GZIP", " gzip ", "x-gzip"})
    void recognisesGzip_whenContentEncodingNamesIt(String value) {
        assertThat(BodyDecoder.encodingOf(HttpHeaders.of(Map.of("Content-Encoding", value)))).isEqualTo(ContentEncoding.GZIP);
    }

    @Test
    void treatsMissingContentEncodingAsIdentity() {
        assertThat(BodyDecoder.encodingOf(HttpHeaders.empty())).isEqualTo(ContentEncoding.IDENTITY);
        assertThat(BodyDecoder.encodingOf(HttpHeaders.of(Map.of("content-encoding", "identity"))))
                .isEqualTo(ContentEncoding.IDENTITY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"br", "deflate", "gzip, gzip", "compress", "zstd"})
    void refuses415_whenContentEncodingIsUnsupported(String value) {
        assertRejected(() -> BodyDecoder.encodingOf(HttpHeaders.of(Map.of("Content-Encoding", value))),
                ErrorCode.UNSUPPORTED_ENCODING);
    }

    private static void assertRejected(Runnable call, ErrorCode code) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(RequestRejectedException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(data);
        }
        return out.toByteArray();
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }
}
