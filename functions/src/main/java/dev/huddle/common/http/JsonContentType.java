package dev.huddle.common.http;

import java.util.Locale;

/**
 * Accepts {@code application/json} and the {@code application/*+json} family, with an optional charset
 * that must be UTF-8 (RFC 8259: JSON exchanged between systems is UTF-8). Anything else is a 415.
 */
public final class JsonContentType {
    private JsonContentType() {
    }

    public static void require(HttpHeaders headers) {
        String value = headers.get("Content-Type").orElseThrow(() -> unsupported("Content-Type is missing"));
        String[] parts = value.split(";");
        String mediaType = parts[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")
                && !(mediaType.startsWith("application/") && mediaType.endsWith("+json"))) {
            throw unsupported("Content-Type must be application/json");
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim().toLowerCase(Locale.ROOT);
            if (parameter.startsWith("charset=")) {
                String charset = parameter.substring("charset=".length()).replace("\"", "").trim();
                if (!charset.equals("utf-8") && !charset.equals("utf8")) {
                    throw unsupported("JSON bodies must be UTF-8");
                }
            }
        }
    }

    private static RequestRejectedException unsupported(String message) {
        return new RequestRejectedException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, message);
    }
}
