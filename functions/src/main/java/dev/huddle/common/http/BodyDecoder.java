package dev.huddle.common.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Turns the body API Gateway hands over (a string, base64 when binary) into the bytes of the JSON
 * document: undoes base64 and {@code Content-Encoding: gzip}, and enforces the byte limit on the raw body
 * and again while inflating. Inflating stops at limit + 1 bytes, so a gzip bomb costs at most that much
 * memory and time.
 */
public final class BodyDecoder {
    private static final int CHUNK = 8 * 1024;

    private final int maxBytes;

    public BodyDecoder(int maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes < 1: " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    public enum ContentEncoding { IDENTITY, GZIP }

    /** Reads Content-Encoding; only gzip and identity are supported (415 otherwise). */
    public static ContentEncoding encodingOf(HttpHeaders headers) {
        String value = headers.get("Content-Encoding").orElse("identity").toLowerCase(Locale.ROOT);
        return switch (value) {
            case "identity" -> ContentEncoding.IDENTITY;
            case "gzip", "x-gzip" -> ContentEncoding.GZIP;
            default -> throw new RequestRejectedException(ErrorCode.UNSUPPORTED_ENCODING,
                    "Content-Encoding must be gzip or identity");
        };
    }

    /** The decoded body; empty when there was none. */
    public byte[] decode(String body, boolean base64Encoded, ContentEncoding encoding) {
        if (body == null || body.isEmpty()) {
            return new byte[0];
        }
        byte[] raw = base64Encoded ? fromBase64(body) : fromText(body);
        return encoding == ContentEncoding.GZIP ? inflate(raw) : raw;
    }

    private byte[] fromText(String body) {
        // A UTF-8 encoding has at least as many bytes as the string has chars: refuse before copying.
        if (body.length() > maxBytes) {
            throw tooLarge();
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > maxBytes) {
            throw tooLarge();
        }
        return bytes;
    }

    private byte[] fromBase64(String body) {
        // Four base64 chars carry three bytes; refuse an obviously oversized body before decoding it.
        if ((long) body.length() / 4 * 3 > (long) maxBytes + 3) {
            throw tooLarge();
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new RequestRejectedException(ErrorCode.INVALID_JSON, "The body is marked base64 but is not valid base64");
        }
        if (bytes.length > maxBytes) {
            throw tooLarge();
        }
        return bytes;
    }

    private byte[] inflate(byte[] compressed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes + 1, compressed.length * 4 + CHUNK));
        byte[] chunk = new byte[CHUNK];
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), CHUNK)) {
            int total = 0;
            int n;
            // Never ask for more than limit + 1 bytes in total: one byte over the limit proves the violation.
            while ((n = in.read(chunk, 0, Math.min(chunk.length, maxBytes + 1 - total))) > 0) {
                out.write(chunk, 0, n);
                total += n;
                if (total > maxBytes) {
                    throw tooLarge();
                }
            }
        } catch (IOException e) {
            throw new RequestRejectedException(ErrorCode.INVALID_JSON, "The body is marked gzip but is not valid gzip");
        }
        return out.toByteArray();
    }

    private RequestRejectedException tooLarge() {
        return new RequestRejectedException(ErrorCode.PAYLOAD_TOO_LARGE,
                "The body exceeds " + maxBytes + " bytes (measured after gzip is undone)");
    }
}
