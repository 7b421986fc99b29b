package dev.huddle.local.gateway;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * How API Gateway hands a request body to the function: as text when it is text, otherwise base64 with
 * {@code isBase64Encoded = true}. A body is text when it has no content coding (gzip bodies are binary),
 * its media type is textual (or absent) and its bytes are valid UTF-8.
 */
final class BodyEncoding {
    private BodyEncoding() {
    }

    record EncodedBody(String body, boolean base64) {
    }

    static EncodedBody encode(byte[] body, String contentType, String contentEncoding) {
        if (body.length == 0) {
            return new EncodedBody(null, false);
        }
        if (isIdentity(contentEncoding) && isTextual(contentType)) {
            String text = utf8OrNull(body);
            if (text != null) {
                return new EncodedBody(text, false);
            }
        }
        return new EncodedBody(Base64.getEncoder().encodeToString(body), true);
    }

    private static boolean isIdentity(String contentEncoding) {
        return contentEncoding == null || contentEncoding.isBlank()
                || contentEncoding.trim().equalsIgnoreCase("identity");
    }

    private static boolean isTextual(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return true;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.startsWith("text/")
                || type.endsWith("/json") || type.endsWith("+json")
                || type.endsWith("/xml") || type.endsWith("+xml")
                || type.equals("application/javascript")
                || type.equals("application/x-www-form-urlencoded");
    }

    private static String utf8OrNull(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException notUtf8) {
            return null;
        }
    }
}
